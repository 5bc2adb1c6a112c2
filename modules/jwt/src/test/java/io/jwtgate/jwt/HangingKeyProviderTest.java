package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.Behaviour;
import io.jwtgate.testing.EchoModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key-caching pattern of docs/jwt.md against an identity provider that accepts connections and never answers:
 * a hanging provider costs a client no more than the key location's timeouts. Validity runs on the test clock; the
 * timeouts and the lock run in real time, so the waits are measured.
 */
class HangingKeyProviderTest {

    static final KeyPair KEY = Fixtures.rsa(2048);
    /** Room for a loaded machine on top of a configured wait. */
    static final long MARGIN_MS = 1500;

    @TempDir
    Path tmp;
    final Fixtures.TestClock clock = new Fixtures.TestClock();
    final List<AutoCloseable> open = new ArrayList<>();
    final String token = Fixtures.rs(JWSAlgorithm.RS256, KEY, "k1", claims("alice", ""));

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    TestBackend provider(Behaviour b) {
        TestBackend t = TestBackend.start(b);
        open.add(t);
        return t;
    }

    /**
     * docs/jwt.md's key location, with every timeout {@code timeout}; warmed up through a twin location whose
     * provider answers, so that what is measured is the provider's cost, not a fresh JVM loading its classes.
     */
    TestGateway gateway(TestBackend idp, String timeout) throws Exception {
        TestBackend good = provider(Behaviour.always(Reply.status(200, KeyCacheTest.jwks(KEY, "k1"))));
        String http = "proxy_cache_path %s levels=1:2 keys_zone=jwt_keys:1m inactive=1h max_size=10m;"
                .formatted(tmp.resolve("keys"));
        String server = """
                location /jwks {
                    internal;
                    proxy_pass http://127.0.0.1:%d/.well-known/jwks.json;
                    proxy_cache jwt_keys;
                    proxy_cache_valid 200 5m;
                    proxy_connect_timeout %2$s;
                    proxy_send_timeout %2$s;
                    proxy_read_timeout %2$s;
                    proxy_cache_lock_timeout %2$s;
                    proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;
                    proxy_cache_background_update on;
                    proxy_cache_bypass $jwt_key_refresh;
                }
                location /api {
                    jwt_key_request /jwks;
                    echo "ok $jwt_claim_sub";
                }
                location /warm-keys {
                    internal;
                    proxy_pass http://127.0.0.1:%3$d/.well-known/jwks.json;
                    proxy_cache jwt_keys;
                    proxy_cache_valid 200 5m;
                }
                location /warm {
                    jwt_key_request /warm-keys;
                    echo "ok $jwt_claim_sub";
                }
                """.formatted(idp.port(), timeout, good.port());
        String conf = Fixtures.conf(TestGateway.freePort(), http, server)
                .replace("worker_connections 64;", "worker_connections 1024;");
        TestGateway g = TestGateway.start(conf, () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new EchoModule());
            l.add(new JwtModule(clock, CryptoProvider.preferred()));
            l.addAll(ProxyModules.create(clock));
            return l;
        });
        open.add(g);
        assertThat(RawHttpClient.get(g.port(), "/warm", bearer(token)).code()).isEqualTo(200);
        return g;
    }

    /** What a client got and how long it waited. */
    record Timed(RawResponse response, long millis) {
    }

    Timed call(TestGateway g) {
        long t0 = System.nanoTime();
        RawResponse r = RawHttpClient.get(g.port(), "/api/x", bearer(token));
        return new Timed(r, (System.nanoTime() - t0) / 1_000_000);
    }

    /** {@code n} clients at once. */
    List<Timed> concurrently(TestGateway g, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Timed>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(() -> call(g)));
            }
            List<Timed> all = new ArrayList<>();
            for (Future<Timed> f : fs) {
                all.add(f.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withExpiredKeysInTheCacheClientsAreServedAtOnce() throws Exception {
        TestBackend idp = provider(Behaviour.always(Reply.status(200, KeyCacheTest.jwks(KEY, "k1"))));
        TestGateway g = gateway(idp, "3s");
        assertThat(call(g).response().code()).isEqualTo(200);
        assertThat(idp.requestCount()).isEqualTo(1);
        clock.advanceSeconds(301); // the keys have expired
        idp.behaviour(Behaviour.always(Reply.never()));
        // far below the 3 s the refresh hangs for: the expired keys are served while it runs behind
        Timed first = call(g);
        assertThat(first.response().code()).isEqualTo(200);
        assertThat(first.response().bodyString()).isEqualTo("ok alice");
        assertThat(first.millis()).isLessThan(MARGIN_MS);
        for (Timed t : concurrently(g, 50)) {
            assertThat(t.response().code()).isEqualTo(200);
            assertThat(t.millis()).isLessThan(MARGIN_MS);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (idp.requestCount() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(idp.requestCount()).as("one refresh, at the hanging provider").isEqualTo(2);
    }

    @Test
    void withAColdCacheAClientWaitsTheTimeoutAndNoMore() throws Exception {
        TestBackend idp = provider(Behaviour.always(Reply.never()));
        TestGateway g = gateway(idp, "1s");
        Timed t = call(g);
        // every key source asked failed: 503, the token may be fine (docs/jwt.md#jwt_key_request)
        assertThat(t.response().code()).isEqualTo(503);
        assertThat(t.millis()).isBetween(900L, 1000 + MARGIN_MS);
        assertThat(idp.requestCount()).isEqualTo(1);
    }

    @Test
    void withAColdCacheClientsBehindTheLockWaitTheLockTimeoutAndTheTimeoutAtMost() throws Exception {
        TestBackend idp = provider(Behaviour.always(Reply.never()));
        TestGateway g = gateway(idp, "1s");
        List<Timed> all = concurrently(g, 50);
        for (Timed t : all) {
            assertThat(t.response().code()).isEqualTo(503);
            // proxy_cache_lock_timeout (1 s), then the client's own request to the provider (1 s)
            assertThat(t.millis()).isLessThan(1000 + 1000 + MARGIN_MS);
        }
    }
}
