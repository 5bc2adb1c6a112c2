package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.assertInvalid;
import static io.jwtgate.jwt.Fixtures.assertNoToken;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's first example: HS256 secret and {@code jwt_claim $user_id sub}. The proxy module is not on main yet,
 * so {@code proxy_set_header X-User-Id $user_id; proxy_pass http://backend;} is stood in for by
 * {@code return 200 "$user_id"}: replace it with the proxy and a {@code TestBackend} once ProxyModule lands.
 */
class SeedExampleTest {

    static final String SECRET = "your-hmac-secret";
    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        String server = """
                location /api {
                    jwt_secret "your-hmac-secret";
                    jwt_claim $user_id sub;
                    return 200 "$user_id";
                }
                """;
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), "", server), Fixtures.modules(clock));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** The seed's secret is 16 bytes, below Nimbus' HS256 minimum, so this token is signed with the JDK's Mac. */
    static String token(String payload) throws Exception {
        String input = Fixtures.b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + Fixtures.b64(payload);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(), "HmacSHA256"));
        return input + "." + Fixtures.b64(mac.doFinal(input.getBytes()));
    }

    @Test
    void userIdReachesTheContentHandler() throws Exception {
        RawResponse r = RawHttpClient.get(gw.port(), "/api/items", bearer(token(claims("user-42", ""))));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("user-42");
        assertThat(r.headers("WWW-Authenticate")).isEmpty();
    }

    @Test
    void noTokenNeverReachesTheContentHandler() {
        assertNoToken(RawHttpClient.get(gw.port(), "/api/items"));
    }

    @Test
    void forgedSignatureIsRejected() throws Exception {
        String t = token(claims("user-42", ""));
        String forged = t.substring(0, t.lastIndexOf('.') + 1) + "AAAA" + t.substring(t.lastIndexOf('.') + 5);
        assertInvalid(RawHttpClient.get(gw.port(), "/api/items", bearer(forged)), "signature verification failed");
    }
}
