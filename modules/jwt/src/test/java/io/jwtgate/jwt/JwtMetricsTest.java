package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.limitconn.LimitConnModule;
import io.jwtgate.limitreq.LimitReqModule;
import io.jwtgate.metrics.MetricsModule;
import io.jwtgate.metrics.TextExposition;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.EchoModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The JWT module's metrics after a known sequence of requests (valid, expired, bad signature, unknown kid, revoked,
 * no token, malformed, every key source down, rate limited, upstream down), with the limits' outcomes, read from the
 * {@code metrics} location and parsed back strictly; tokens signed by Nimbus.
 */
class JwtMetricsTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static final KeyPair KEY = Fixtures.rsa(2048);
    static final KeyPair OTHER = Fixtures.rsa(2048);

    static Supplier<List<HttpModule>> modules() {
        return () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new EchoModule());
            l.addAll(ProxyModules.create());
            l.add(new JwtModule(clock, CryptoProvider.preferred()));
            l.add(new LimitReqModule());
            l.add(new LimitConnModule());
            l.add(new MetricsModule());
            return l;
        };
    }

    static String token(KeyPair kp, String kid, String payload) {
        return Fixtures.rs(JWSAlgorithm.RS256, kp, kid, payload);
    }

    @Test
    void countsEveryVerdictFetchAndCacheLookup() throws Exception {
        Path dir = Files.createTempDirectory("jwt-metrics");
        Files.writeString(dir.resolve("subs.json"), "[\"mallory\"]");
        String http = "limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m;\n"
                + "limit_conn_zone $binary_remote_addr zone=addr:1m;";
        String server = """
                server_name gw.test;
                location /jwks { internal; echo '%s'; }
                location /broken { internal; return 500 "down"; }
                location /api { jwt_key_request /jwks; jwt_revocation_list_sub subs.json; echo "ok"; }
                location /dead { jwt_key_request /broken; echo "dead"; }
                location /limited { limit_req zone=one; limit_conn addr 1; jwt_key_request /jwks; echo "ok"; }
                location /down { jwt_key_request /jwks; proxy_pass http://127.0.0.1:%d; }
                location /metrics { metrics; }
                """.formatted(KeyRequestTest.jwks(KeyRequestTest.jwk(KEY, "k1")), TestGateway.freePort());
        try (TestGateway gw = TestGateway.start(dir, Fixtures.conf(TestGateway.freePort(), http, server),
                modules())) {
            String alice = token(KEY, "k1", claims("alice", ""));
            for (int i = 0; i < 3; i++) {
                assertThat(get(gw, "/api", alice).code()).isEqualTo(200);
            }
            String expired = "{\"sub\":\"ed\",\"exp\":" + (Fixtures.NOW - 100) + "}";
            assertThat(get(gw, "/api", token(KEY, "k1", expired)).code()).isEqualTo(401);
            assertThat(get(gw, "/api", token(OTHER, "k1", claims("eve", ""))).code()).isEqualTo(401);
            assertThat(get(gw, "/api", token(KEY, "nope", claims("kim", ""))).code()).isEqualTo(401);
            assertThat(get(gw, "/api", token(KEY, "k1", claims("mallory", ""))).code()).isEqualTo(401);
            assertThat(RawHttpClient.get(gw.port(), "/api").code()).isEqualTo(401);
            assertThat(get(gw, "/api", "abc").code()).isEqualTo(401);
            assertThat(get(gw, "/dead", token(KEY, "k1", claims("erin", ""))).code()).isEqualTo(503);
            String bob = token(KEY, "k1", claims("bob", ""));
            assertThat(get(gw, "/limited", bob).code()).isEqualTo(200);
            assertThat(get(gw, "/limited", bob).code()).isEqualTo(503); // refused before the JWT check
            assertThat(get(gw, "/down", token(KEY, "k1", claims("dan", ""))).code()).isEqualTo(502);

            TextExposition e = TextExposition.parse(RawHttpClient.get(gw.port(), "/metrics").bodyString(), false);
            String v = "jwtgate_jwt_verdicts_total";
            assertThat(e.value(v, "result", "accepted", "reason", "ok")).isEqualTo(5);
            for (String reason : new String[] {"expired", "bad_signature", "unknown_key", "revoked", "no_token",
                "malformed", "keys_unavailable"}) {
                assertThat(e.value(v, "result", "rejected", "reason", reason)).as(reason).isEqualTo(1);
            }
            assertThat(e.value(v, "result", "rejected", "reason", "not_yet_valid")).isZero();
            String f = "jwtgate_jwt_key_fetches_total";
            assertThat(e.value(f, "location", "/jwks", "outcome", "ok")).isEqualTo(9);
            assertThat(e.value(f, "location", "/jwks", "outcome", "refresh")).isEqualTo(1); // for kid "nope"
            assertThat(e.value(f, "location", "/jwks", "outcome", "failed")).isZero();
            assertThat(e.value(f, "location", "/broken", "outcome", "failed")).isEqualTo(1);
            assertThat(e.value("jwtgate_jwt_keys", "location", "/jwks")).isEqualTo(1);
            assertThat(e.value("jwtgate_jwt_keys", "location", "/broken")).isZero();
            // eleven lookups of ten distinct tokens: alice's third is the one hit, her second sight the one entry
            String c = "jwtgate_jwt_token_cache_requests_total";
            assertThat(e.value(c, "result", "hit")).isEqualTo(1);
            assertThat(e.value(c, "result", "miss")).isEqualTo(10);
            assertThat(e.value("jwtgate_jwt_token_cache_entries")).isEqualTo(1);
            assertThat(e.value("jwtgate_jwt_token_cache_bytes")).isEqualTo(TokenCache.weight(alice));
            assertThat(e.value("jwtgate_jwt_token_cache_evictions_total")).isZero();
            String lr = "jwtgate_limit_req_requests_total";
            assertThat(e.value(lr, "zone", "one", "outcome", "passed")).isEqualTo(1);
            assertThat(e.value(lr, "zone", "one", "outcome", "rejected")).isEqualTo(1);
            assertThat(e.value(lr, "zone", "one", "outcome", "delayed")).isZero();
            String lc = "jwtgate_limit_conn_requests_total";
            assertThat(e.value(lc, "zone", "addr", "outcome", "passed")).isEqualTo(1); // the second never got there
            assertThat(e.value(lc, "zone", "addr", "outcome", "rejected")).isZero();
            String h = "jwtgate_http_requests_total";
            assertThat(e.value(h, "server", "gw.test", "code", "200")).isEqualTo(4);
            assertThat(e.value(h, "server", "gw.test", "code", "401")).isEqualTo(6);
            assertThat(e.value(h, "server", "gw.test", "code", "503")).isEqualTo(2);
            assertThat(e.value(h, "server", "gw.test", "code", "502")).isEqualTo(1);
        }
    }

    private static RawResponse get(TestGateway gw, String path, String token) {
        return RawHttpClient.get(gw.port(), path, bearer(token));
    }
}
