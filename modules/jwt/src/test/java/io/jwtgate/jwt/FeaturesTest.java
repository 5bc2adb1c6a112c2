package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.NOW;
import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.assertInvalid;
import static io.jwtgate.jwt.Fixtures.assertNoToken;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static io.jwtgate.jwt.Fixtures.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Variables, inheritance, token sources, requirements, phases, realm and responses, through the gateway over real
 * sockets with tokens signed by Nimbus.
 */
class FeaturesTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static final KeyPair rsa = Fixtures.rsa(2048);
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("jwt-features");
        Files.writeString(dir.resolve("rsa.pem"), Fixtures.pem(rsa.getPublic()));
        String server = """
                jwt_secret "%1$s";
                jwt_claim $who sub;
                location /vars {
                    jwt_claim $city address.city;
                    jwt_claim $roles roles;
                    jwt_claim $obj address;
                    jwt_claim $ns https://example.com/tenant;
                    jwt_header $kid kid;
                    echo "$who|$city|$roles|$obj|$ns|$kid|$jwt_header_alg|$jwt_claim_sub|$jwt_status|$jwt_nowtime";
                }
                location /claims { echo "$jwt_claims"; }
                location /override { jwt_claim $who name; echo "$who"; }
                location /public {
                    jwt_secret off;
                    echo "public [$who]";
                    location /public/again { jwt_key_file rsa.pem pem; echo "again $who"; }
                }
                location /rsa {
                    jwt_key_file rsa.pem pem;
                    echo "rsa $who";
                }
                location /rules {
                    jwt_require_claim role eq admin;
                    jwt_require_claim token_version ge 2;
                    echo "rules";
                    location /rules/more {
                        jwt_require_claim groups any "ops, dev";
                        jwt_require_header alg eq HS256;
                        echo "more";
                    }
                }
                location /hdr { jwt_require_header kid eq k1; echo "hdr"; }
                location /json { jwt_require_claim level eq json=1.0; jwt_require_claim team in "a,b"; echo "json"; }
                location /dynamic { jwt_require_claim sub eq $arg_user; echo "dynamic"; }
                location /iss { jwt_issuer https://a.example https://b.example; jwt_audience api; echo "iss"; }
                location /require {
                    jwt_claim $admin admin;
                    jwt_require $admin error=403;
                    echo "require";
                    location /require/nested { jwt_require $jwt_claim_paid error=402; echo "nested"; }
                }
                location /require401 { jwt_require $jwt_claim_admin $jwt_claim_paid; echo "r401"; }
                location /cookie { jwt_secret token=$cookie_jwt; echo "cookie $who"; }
                location /arg { jwt_secret "%1$s" token=$arg_t; echo "arg $who"; }
                location /hdrtoken { jwt_secret "%1$s" token=$http_x_token; echo "hdrtoken $who"; }
                location /noexp { jwt_validate_exp off; echo "noexp"; }
                location /nosig { jwt_validate_sig off; echo "nosig $who"; }
                location /realm { jwt_realm "my \\"api\\""; echo "realm"; }
                location /always {
                    add_header X-Always yes always;
                    add_header X-Only-Ok yes;
                    echo "always";
                }
                location /pre { jwt_phase PREACCESS; echo "pre $who"; }
                location /any { satisfy any; echo "any"; }
                """.formatted(SECRET);
        gw = TestGateway.start(dir, Fixtures.conf(TestGateway.freePort(), "", server), Fixtures.modules(clock));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static RawResponse get(String path, String... headers) {
        return RawHttpClient.get(gw.port(), path, headers);
    }

    static String hs(String payload) {
        return hs256(SECRET, payload);
    }

    @Test
    void tokenHeaderWithAnUnderscoreIsDroppedAsNginxDrops() {
        String t = hs(claims("alice", ""));
        RawResponse r = get("/hdrtoken", "X-Token: " + t);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("hdrtoken alice");
        // underscores_in_headers is off: the header never reaches $http_x_token, so there is no token
        assertNoToken(get("/hdrtoken", "X_Token: " + t));
    }

    @Test
    void controlByteInTheTargetIs400WithAValidToken() {
        String t = hs(claims("alice", ""));
        assertThat(get("/vars", bearer(t)).code()).isEqualTo(200);
        for (String target : new String[] {"/vars\u0001", "/vars?a=\u001b", "/vars#\u007f"}) {
            assertThat(get(target, bearer(t)).code()).as(target).isEqualTo(400);
        }
    }

    @Test
    void claimAndHeaderVariables() {
        String t = Fixtures.hs(JWSAlgorithm.HS256, SECRET, "key-1", claims("alice",
                "\"address\":{\"city\":\"Paris\",\"zip\":\"75001\"},\"roles\":[\"a\",\"b\",3],"
                        + "\"https://example.com/tenant\":\"t1\""));
        RawResponse r = get("/vars", bearer(t));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("alice|Paris|a,b,3|{\"city\":\"Paris\",\"zip\":\"75001\"}|t1|key-1|HS256"
                + "|alice|ok|" + NOW);
    }

    @Test
    void wholePayloadAsCompactJson() {
        RawResponse r = get("/claims", bearer(hs("{ \"sub\" : \"bob\", \"exp\" : " + (NOW + 60) + " }")));
        assertThat(r.bodyString()).isEqualTo("{\"sub\":\"bob\",\"exp\":" + (NOW + 60) + "}");
    }

    @Test
    void childDefinitionOfAVariableWins() {
        assertThat(get("/override", bearer(hs(claims("alice", "\"name\":\"Alice\"")))).bodyString())
                .isEqualTo("Alice");
    }

    @Test
    void offDisablesAndADeeperKeySourceEnablesAgain() {
        RawResponse r = get("/public");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("public []");
        assertNoToken(get("/public/again"));
        String t = Fixtures.rs(JWSAlgorithm.RS256, rsa, null, claims("carol", ""));
        assertThat(get("/public/again", bearer(t)).bodyString()).isEqualTo("again carol");
    }

    @Test
    void inheritedSecretProtectsEveryLocation() {
        assertNoToken(get("/claims"));
        assertThat(get("/claims", bearer(hs(claims("a", "")))).code()).isEqualTo(200);
    }

    @Test
    void locationWithItsOwnKeysDoesNotTrustTheParentsKeys() {
        assertInvalid(get("/rsa", bearer(hs(claims("alice", "")))), "no matching key");
        String t = Fixtures.rs(JWSAlgorithm.RS256, rsa, null, claims("carol", ""));
        assertThat(get("/rsa", bearer(t)).bodyString()).isEqualTo("rsa carol");
    }

    @Test
    void claimRulesWithLiteralsAndAccumulation() {
        assertThat(get("/rules", bearer(hs(claims("a", "\"role\":\"admin\",\"token_version\":2")))).code())
                .isEqualTo(200);
        assertInvalid(get("/rules", bearer(hs(claims("a", "\"role\":\"admin\",\"token_version\":1")))),
                "claim requirement failed");
        assertInvalid(get("/rules", bearer(hs(claims("a", "\"role\":\"user\",\"token_version\":3")))),
                "claim requirement failed");
        // the nested location adds rules and keeps its parent's
        assertThat(get("/rules/more", bearer(hs(claims("a",
                "\"role\":\"admin\",\"token_version\":2,\"groups\":[\"x\",\"dev\"]")))).bodyString()).isEqualTo("more");
        assertInvalid(get("/rules/more", bearer(hs(claims("a",
                "\"role\":\"user\",\"token_version\":2,\"groups\":[\"dev\"]")))), "claim requirement failed");
        assertInvalid(get("/rules/more", bearer(hs(claims("a",
                "\"role\":\"admin\",\"token_version\":2,\"groups\":[\"x\"]")))), "claim requirement failed");
    }

    @Test
    void headerRule() {
        assertThat(get("/hdr", bearer(Fixtures.hs(JWSAlgorithm.HS256, SECRET, "k1", claims("a", ""))))
                .code()).isEqualTo(200);
        assertInvalid(get("/hdr", bearer(Fixtures.hs(JWSAlgorithm.HS256, SECRET, "k2", claims("a", "")))),
                "header requirement failed");
        assertInvalid(get("/hdr", bearer(hs(claims("a", "")))), "header requirement failed");
    }

    @Test
    void jsonValuesAndInLists() {
        assertThat(get("/json", bearer(hs(claims("a", "\"level\":1,\"team\":\"b\"")))).code()).isEqualTo(200);
        assertInvalid(get("/json", bearer(hs(claims("a", "\"level\":\"1\",\"team\":\"b\"")))),
                "claim requirement failed");
        assertInvalid(get("/json", bearer(hs(claims("a", "\"level\":1,\"team\":\"c\"")))),
                "claim requirement failed");
    }

    @Test
    void ruleValueWithVariables() {
        assertThat(get("/dynamic?user=alice", bearer(hs(claims("alice", "")))).code()).isEqualTo(200);
        assertInvalid(get("/dynamic?user=bob", bearer(hs(claims("alice", "")))), "claim requirement failed");
    }

    @Test
    void issuerAndAudience() {
        assertThat(get("/iss", bearer(hs(claims("a", "\"iss\":\"https://b.example\",\"aud\":[\"x\",\"api\"]"))))
                .code()).isEqualTo(200);
        assertInvalid(get("/iss", bearer(hs(claims("a", "\"iss\":\"https://c.example\",\"aud\":\"api\"")))),
                "issuer mismatch");
        assertInvalid(get("/iss", bearer(hs(claims("a", "\"aud\":\"api\"")))), "issuer mismatch");
        assertInvalid(get("/iss", bearer(hs(claims("a", "\"iss\":\"https://a.example\",\"aud\":\"web\"")))),
                "audience mismatch");
    }

    @Test
    void requireWithErrorCode() {
        assertThat(get("/require", bearer(hs(claims("a", "\"admin\":true")))).code()).isEqualTo(200);
        RawResponse r = get("/require", bearer(hs(claims("a", "\"admin\":0"))));
        assertThat(r.code()).isEqualTo(403);
        assertThat(r.headers("WWW-Authenticate")).isEmpty();
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyString()).isEqualTo(
                "{\"error\":\"insufficient_scope\",\"error_description\":\"requirement failed\"}");
        // both fail: the parent's directive comes first and decides
        assertThat(get("/require/nested", bearer(hs(claims("a", "")))).code()).isEqualTo(403);
        assertThat(get("/require/nested", bearer(hs(claims("a", "\"admin\":\"yes\"")))).code()).isEqualTo(402);
        assertThat(get("/require/nested", bearer(hs(claims("a", "\"admin\":\"yes\",\"paid\":1")))).code())
                .isEqualTo(200);
    }

    @Test
    void requireDefaultsTo401WithChallenge() {
        assertInvalid(get("/require401", bearer(hs(claims("a", "\"admin\":1")))), "requirement failed");
        assertThat(get("/require401", bearer(hs(claims("a", "\"admin\":1,\"paid\":\"x\"")))).code()).isEqualTo(200);
    }

    @Test
    void tokenFromCookieIgnoresAuthorization() {
        String t = hs(claims("dave", ""));
        assertThat(get("/cookie", "Cookie: a=b; jwt=" + t).bodyString()).isEqualTo("cookie dave");
        assertNoToken(get("/cookie", bearer(t)));
    }

    @Test
    void tokenFromArgument() {
        assertThat(get("/arg?t=" + hs(claims("erin", ""))).bodyString()).isEqualTo("arg erin");
        assertNoToken(get("/arg?t="));
    }

    @Test
    void validateExpOff() {
        assertThat(get("/noexp", bearer(hs("{\"sub\":\"a\"}"))).code()).isEqualTo(200);
        // nbf is still checked
        assertInvalid(get("/noexp", bearer(hs("{\"sub\":\"a\",\"nbf\":" + (NOW + 100) + "}"))),
                "token not yet valid");
    }

    @Test
    void validateSigOffAcceptsAnyAlgButStillChecksClaims() {
        String none = Fixtures.raw("{\"alg\":\"none\"}", claims("mallory", ""), "");
        assertThat(get("/nosig", bearer(none)).bodyString()).isEqualTo("nosig mallory");
        String expired = Fixtures.raw("{\"alg\":\"XYZ\"}", "{\"sub\":\"m\",\"exp\":" + (NOW - 5) + "}", "AAAA");
        assertInvalid(get("/nosig", bearer(expired)), "token expired");
    }

    @Test
    void realmInChallenges() {
        RawResponse r = get("/realm");
        assertThat(r.headers("WWW-Authenticate")).containsExactly("Bearer realm=\"my \\\"api\\\"\"");
        RawResponse bad = get("/realm", bearer("x.y.z"));
        assertThat(bad.headers("WWW-Authenticate")).containsExactly(
                "Bearer realm=\"my \\\"api\\\"\", error=\"invalid_token\", error_description=\"malformed token\"");
    }

    @Test
    void addHeaderAlwaysAppliesToRejections() {
        RawResponse r = get("/always");
        assertNoToken(r);
        assertThat(r.header("X-Always")).isEqualTo("yes");
        assertThat(r.header("X-Only-Ok")).isNull();
        RawResponse ok = get("/always", bearer(hs(claims("a", ""))));
        assertThat(ok.header("X-Only-Ok")).isEqualTo("yes");
        assertThat(ok.headers("WWW-Authenticate")).isEmpty();
    }

    @Test
    void preaccessPhase() {
        assertNoToken(get("/pre"));
        assertThat(get("/pre", bearer(hs(claims("frank", "")))).bodyString()).isEqualTo("pre frank");
    }

    @Test
    void satisfyAnyWithoutOtherAccessModulesStillSendsTheChallenge() {
        assertNoToken(get("/any"));
        assertInvalid(get("/any", bearer("a.b.c")), "malformed token");
        assertThat(get("/any", bearer(hs(claims("a", "")))).bodyString()).isEqualTo("any");
    }

    @Test
    void headRequestGetsNoBody() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            RawResponse r = c.send("HEAD /claims HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .readResponse(true);
            assertThat(r.code()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
    }
}
