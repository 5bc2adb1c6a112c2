package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.assertInvalid;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.map.MapModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.EchoModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code jwt_key_request} (docs/jwt.md#jwt_key_request) against internal locations that answer key documents with
 * {@code return}; tokens signed by Nimbus. The proxied, cached, HTTPS variant is tested with the proxy module.
 */
class KeyRequestTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static final KeyPair OLD = Fixtures.rsa(2048);
    static final KeyPair NEW = Fixtures.rsa(2048);
    static final KeyPair OTHER = Fixtures.rsa(2048);
    static TestGateway gw;
    static TestBackend encoded;

    static String jwk(KeyPair kp, String kid) {
        return new RSAKey.Builder((RSAPublicKey) kp.getPublic()).keyID(kid).build().toJSONString();
    }

    static String jwks(String... keys) {
        return "{\"keys\":[" + String.join(",", keys) + "]}";
    }

    static Supplier<List<HttpModule>> modules() {
        return () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new EchoModule());
            l.add(new MapModule());
            l.addAll(ProxyModules.create());
            l.add(new JwtModule(clock, CryptoProvider.preferred()));
            return l;
        };
    }

    @BeforeAll
    static void start() throws Exception {
        // a key document whose response says it is compressed (add_header would not do: it skips subrequests)
        encoded = TestBackend.start(r -> Reply.status(200, jwks(jwk(OLD, "old"))).header("Content-Encoding", "gzip"));
        String keyval = "{\"kv1\":\"" + Fixtures.pem(OTHER.getPublic()).replace("\n", "\\\\n") + "\"}";
        String http = """
                map $jwt_key_refresh $rotating {
                    "1" '%s';
                    default '%s';
                }
                map $http_x_src $by_host { default /jwks; none ""; }
                """.formatted(jwks(jwk(OLD, "old"), jwk(NEW, "new")), jwks(jwk(OLD, "old")));
        String server = """
                location /jwks { internal; echo '%s'; }
                location /keyval { internal; echo '%s'; }
                location /rotating { internal; echo $rotating; }
                location /broken { internal; return 500 "down"; }
                location /html { internal; echo "<html>not json</html>"; }
                location /empty { internal; echo "{}"; }
                location /gzip { internal; proxy_pass http://%s; }
                location /api { jwt_key_request /jwks; echo "ok $jwt_claim_sub"; }
                location /two { jwt_key_request /broken; jwt_key_request /keyval keyval; echo "two"; }
                location /dead { jwt_key_request /broken; jwt_key_request /html; jwt_key_request /empty;
                                 jwt_key_request /gzip; echo "dead"; }
                location /var { jwt_key_request $by_host; echo "var"; }
                location /rot { jwt_key_request /rotating; jwt_key_refresh_interval 1h; echo "rot"; }
                """.formatted(jwks(jwk(OLD, "old")), keyval, encoded.hostPort());
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), http, server), modules());
    }

    @AfterAll
    static void stop() {
        gw.close();
        encoded.close();
    }

    static RawResponse get(String path, String token, String... more) {
        List<String> h = new ArrayList<>(List.of(bearer(token)));
        h.addAll(List.of(more));
        return RawHttpClient.get(gw.port(), path, h.toArray(new String[0]));
    }

    @Test
    void keysFromAnInternalLocation() {
        RawResponse r = get("/api", Fixtures.rs(JWSAlgorithm.RS256, OLD, "old", claims("alice", "")));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("ok alice");
        assertInvalid(get("/api", Fixtures.rs(JWSAlgorithm.RS256, OTHER, "old", claims("eve", ""))),
                "signature verification failed");
    }

    @Test
    void failedSourcesAreIgnoredAndKeyvalWorks() {
        assertThat(get("/two", Fixtures.rs(JWSAlgorithm.RS256, OTHER, "kv1", claims("bob", ""))).code())
                .isEqualTo(200);
    }

    @Test
    void unavailableWhenEverySourceFails() {
        // 500, HTML, {} and a Content-Encoding: none of them yields a key
        Fixtures.assertUnavailable(get("/dead", Fixtures.rs(JWSAlgorithm.RS256, OLD, "old", claims("carol", ""))));
    }

    @Test
    void uriFromAVariableAndEmptyMeansSkipped() {
        String t = Fixtures.rs(JWSAlgorithm.RS256, OLD, "old", claims("dave", ""));
        assertThat(get("/var", t).code()).isEqualTo(200);
        assertInvalid(get("/var", t, "X-Src: none"), "no usable key");
    }

    @Test
    void unknownKidForcesOneRefreshPerInterval() {
        // the first document lacks "new"; the refresh (with $jwt_key_refresh = 1) has it
        assertThat(get("/rot", Fixtures.rs(JWSAlgorithm.RS256, NEW, "new", claims("erin", ""))).code())
                .isEqualTo(200);
        // within the interval, another unknown kid does not cause another refresh
        assertInvalid(get("/rot", Fixtures.rs(JWSAlgorithm.RS256, NEW, "newer", claims("erin", ""))),
                "no matching key");
        assertThat(get("/rot", Fixtures.rs(JWSAlgorithm.RS256, OLD, "old", claims("erin", ""))).code())
                .isEqualTo(200);
    }

    @Test
    void noTokenNeverFetches() {
        assertThat(RawHttpClient.get(gw.port(), "/api").code()).isEqualTo(401);
    }
}
