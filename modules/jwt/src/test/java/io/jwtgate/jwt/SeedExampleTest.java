package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.assertInvalid;
import static io.jwtgate.jwt.Fixtures.assertNoToken;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first example of README.md#run-your-own-configuration, unchanged: HS256 secret, {@code jwt_claim $user_id sub},
 * {@code proxy_set_header X-User-Id $user_id; proxy_pass http://backend;} in front of a real backend that records
 * what it received.
 */
class SeedExampleTest {

    static final String SECRET = "your-hmac-secret";
    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static TestGateway gw;
    static TestBackend backend;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start();
        String http = "upstream backend { server " + backend.hostPort() + "; }";
        String server = """
                location /api {
                    jwt_secret "your-hmac-secret";
                    jwt_claim $user_id sub;
                    proxy_set_header X-User-Id $user_id;
                    proxy_pass http://backend;
                }
                """;
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), http, server), () -> {
            List<HttpModule> l = new ArrayList<>(Fixtures.modules(clock).get());
            l.addAll(l.size() - 1, ProxyModules.create());
            return l;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    /** That example's secret is 16 bytes, below Nimbus' HS256 minimum, so this token is signed with the JDK's Mac. */
    static String token(String payload) throws Exception {
        String input = Fixtures.b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + Fixtures.b64(payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(), "HmacSHA256"));
        return input + "." + Fixtures.b64(mac.doFinal(input.getBytes()));
    }

    @Test
    void userIdReachesTheBackend() throws Exception {
        int before = backend.requestCount();
        RawResponse r = RawHttpClient.get(gw.port(), "/api/items?x=1", bearer(token(claims("user-42", ""))));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.headers("WWW-Authenticate")).isEmpty();
        assertThat(backend.requestCount()).isEqualTo(before + 1);
        RecordedRequest got = backend.lastRequest();
        assertThat(got.uri()).isEqualTo("/api/items?x=1");
        assertThat(got.header("X-User-Id")).isEqualTo("user-42");
    }

    @Test
    void noTokenNeverReachesTheBackend() {
        int before = backend.requestCount();
        assertNoToken(RawHttpClient.get(gw.port(), "/api/items"));
        assertThat(backend.requestCount()).isEqualTo(before);
    }

    @Test
    void forgedAndExpiredTokensNeverReachTheBackend() throws Exception {
        int before = backend.requestCount();
        String t = token(claims("user-42", ""));
        String forged = t.substring(0, t.lastIndexOf('.') + 1) + "AAAA" + t.substring(t.lastIndexOf('.') + 5);
        assertInvalid(RawHttpClient.get(gw.port(), "/api/items", bearer(forged)), "signature verification failed");
        String expired = token("{\"sub\":\"user-42\",\"exp\":" + (Fixtures.NOW - 1) + "}");
        assertInvalid(RawHttpClient.get(gw.port(), "/api/items", bearer(expired)), "token expired");
        assertThat(backend.requestCount()).isEqualTo(before);
    }
}
