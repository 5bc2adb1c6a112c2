package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.NOW;
import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.assertInvalid;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every bad claim of the module's contract, one test each, through the gateway over real sockets: {@code exp},
 * {@code nbf} and leeway, revocation lists, and rules that must reject ({@link BadTokenTest} has the tokens that do
 * not decode or verify). Each rejected request must get the 401 challenge and JSON body, and never reach the content
 * handler ({@code echo "passed"}).
 */
class BadClaimTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("jwt-bad-claims");
        Files.writeString(dir.resolve("subs.json"), "{\"evil\": true}");
        Files.writeString(dir.resolve("kids.json"), "[\"bad-kid\"]");
        String server = """
                location /hs { jwt_secret "%1$s"; echo "passed $jwt_claim_sub"; }
                location /leeway { jwt_secret "%1$s"; jwt_leeway 1m; echo "passed"; }
                location /revoked {
                    jwt_secret "%1$s";
                    jwt_revocation_list_sub subs.json;
                    jwt_revocation_list_kid kids.json;
                    echo "passed";
                }
                location /revoked-sub { jwt_secret "%1$s"; jwt_revocation_list_sub subs.json; echo "passed"; }
                location /ne { jwt_secret "%1$s"; jwt_require_claim role !eq admin; echo "passed"; }
                location /match { jwt_secret "%1$s"; jwt_require_claim name match "^(a+)+$"; echo "passed"; }
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

    static RawResponse hs(String token) {
        return get("/hs", bearer(token));
    }

    @Test
    void expMissing() {
        assertInvalid(hs(hs256(SECRET, "{\"sub\":\"a\"}")), "missing exp");
    }

    @Test
    void expString() {
        assertInvalid(hs(hs256(SECRET, "{\"sub\":\"a\",\"exp\":\"" + (NOW + 60) + "\"}")), "invalid exp");
    }

    @Test
    void expInThePast() {
        assertInvalid(hs(hs256(SECRET, "{\"sub\":\"a\",\"exp\":" + (NOW - 1) + "}")), "token expired");
    }

    @Test
    void expEqualToNow() {
        assertInvalid(hs(hs256(SECRET, "{\"sub\":\"a\",\"exp\":" + NOW + "}")), "token expired");
        assertThat(hs(hs256(SECRET, "{\"sub\":\"a\",\"exp\":" + (NOW + 1) + "}")).code()).isEqualTo(200);
    }

    @Test
    void nbfInTheFutureWithoutLeeway() {
        assertInvalid(hs(hs256(SECRET, claims("a", "\"nbf\":" + (NOW + 30)))), "token not yet valid");
        assertThat(hs(hs256(SECRET, claims("a", "\"nbf\":" + NOW))).code()).isEqualTo(200);
    }

    @Test
    void nbfInTheFutureWithLeeway() {
        assertThat(get("/leeway", bearer(hs256(SECRET, claims("a", "\"nbf\":" + (NOW + 30))))).code())
                .isEqualTo(200);
        assertInvalid(get("/leeway", bearer(hs256(SECRET, claims("a", "\"nbf\":" + (NOW + 61))))),
                "token not yet valid");
        // leeway also extends exp
        assertThat(get("/leeway", bearer(hs256(SECRET, "{\"sub\":\"a\",\"exp\":" + (NOW - 59) + "}"))).code())
                .isEqualTo(200);
    }

    @Test
    void revokedSub() {
        assertInvalid(get("/revoked", bearer(Fixtures.hs(JWSAlgorithm.HS256, SECRET, "good", claims("evil", "")))),
                "token revoked");
        assertThat(get("/revoked", bearer(Fixtures.hs(JWSAlgorithm.HS256, SECRET, "good", claims("alice", ""))))
                .code()).isEqualTo(200);
    }

    @Test
    void revokedKid() {
        assertInvalid(get("/revoked", bearer(Fixtures.hs(JWSAlgorithm.HS256, SECRET, "bad-kid",
                claims("alice", "")))), "token revoked");
    }

    @Test
    void missingKidWhileKidListInForce() {
        assertInvalid(get("/revoked", bearer(hs256(SECRET, claims("alice", "")))), "missing kid");
    }

    @Test
    void missingSubWhileSubListInForce() {
        assertInvalid(get("/revoked-sub", bearer(hs256(SECRET, "{\"exp\":" + (NOW + 60) + "}"))), "missing sub");
        assertInvalid(get("/revoked-sub", bearer(hs256(SECRET, "{\"sub\":7,\"exp\":" + (NOW + 60) + "}"))),
                "missing sub");
    }

    @Test
    void negatedRuleOnMissingClaimRejects() {
        assertInvalid(get("/ne", bearer(hs256(SECRET, claims("a", "")))), "claim requirement failed");
        assertInvalid(get("/ne", bearer(hs256(SECRET, claims("a", "\"role\":\"admin\"")))),
                "claim requirement failed");
        assertThat(get("/ne", bearer(hs256(SECRET, claims("a", "\"role\":\"user\"")))).code()).isEqualTo(200);
    }

    @Test
    void pathologicalRegexInputFinishesPromptly() {
        String evil = "a".repeat(5000) + "!";
        long t0 = System.nanoTime();
        assertInvalid(get("/match", bearer(hs256(SECRET, claims("a", "\"name\":\"" + evil + "\"")))),
                "claim requirement failed");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
        assertThat(get("/match", bearer(hs256(SECRET, claims("a", "\"name\":\"aaaa\"")))).code()).isEqualTo(200);
    }
}
