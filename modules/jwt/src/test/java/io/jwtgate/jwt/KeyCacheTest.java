package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.assertInvalid;
import static io.jwtgate.jwt.Fixtures.assertUnavailable;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWKS through {@code jwt_key_request} to an internal location with {@code proxy_cache}, the example of
 * docs/jwt.md#jwt_key_request, against a {@link TestBackend} identity provider that counts fetches. Time is the test
 * clock of both modules.
 */
class KeyCacheTest {

    static final KeyPair OLD = Fixtures.rsa(2048);
    static final KeyPair NEW = Fixtures.rsa(2048);

    @TempDir
    Path tmp;
    final Fixtures.TestClock clock = new Fixtures.TestClock();
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static String jwks(KeyPair kp, String kid) {
        return "{\"keys\":[" + new RSAKey.Builder((RSAPublicKey) kp.getPublic()).keyID(kid).build().toJSONString()
                + "]}";
    }

    Supplier<List<HttpModule>> modules() {
        return () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new EchoModule());
            l.add(new JwtModule(clock, CryptoProvider.preferred()));
            l.addAll(ProxyModules.create(clock));
            return l;
        };
    }

    TestBackend backend(Behaviour b) {
        TestBackend t = TestBackend.start(b);
        open.add(t);
        return t;
    }

    /** docs/jwt.md#jwt_key_request's example but for the cache path, plain http to the test's provider, no bypass. */
    TestGateway seed(TestBackend idp, TestBackend api) throws Exception {
        String http = """
                proxy_cache_path %s levels=1:2 keys_zone=jwt_keys:1m inactive=5m max_size=10m;
                upstream backend { server 127.0.0.1:%d; }
                """.formatted(tmp.resolve("jwt_cache"), api.port());
        String server = """
                location /jwks-cached {
                    proxy_pass http://127.0.0.1:%d/.well-known/jwks.json;
                    proxy_cache jwt_keys;
                    proxy_cache_valid 200 5m;
                    proxy_cache_use_stale error timeout updating;
                    internal;
                }

                location /api {
                    jwt_key_request /jwks-cached;
                    proxy_pass http://backend;
                }
                """.formatted(idp.port());
        return start(http, server);
    }

    TestGateway start(String http, String server) throws Exception {
        // room for the 200 concurrent clients
        String conf = Fixtures.conf(TestGateway.freePort(), http, server)
                .replace("worker_connections 64;", "worker_connections 1024;");
        TestGateway g = TestGateway.start(conf, modules());
        open.add(g);
        return g;
    }

    /** A gateway whose key location has the given cache lines; inactive is long so stale entries survive. */
    TestGateway custom(TestBackend idp, String cacheLines) throws Exception {
        String http = "proxy_cache_path %s levels=1:2 keys_zone=k:1m inactive=1h;".formatted(tmp.resolve("c"));
        String server = """
                location /keys {
                    internal;
                    proxy_pass http://127.0.0.1:%d/jwks;
                    proxy_cache k;
                    # a timeout where the provider never answers, room for a loaded machine otherwise
                    proxy_read_timeout 1s;
                    %s
                }
                location /api { jwt_key_request /keys; jwt_key_refresh_interval 30s; echo "ok $jwt_claim_sub"; }
                """.formatted(idp.port(), cacheLines);
        return start(http, server);
    }

    static String token(KeyPair kp, String kid) {
        return Fixtures.rs(JWSAlgorithm.RS256, kp, kid, claims("alice", ""));
    }

    static RawResponse get(TestGateway g, String token) {
        return RawHttpClient.get(g.port(), "/api/x", bearer(token));
    }

    @Test
    void seedExampleAsksTheProviderOncePerCachePeriod() throws Exception {
        TestBackend idp = backend(Behaviour.always(Reply.status(200, jwks(OLD, "k1"))));
        TestBackend api = backend(Behaviour.echo());
        TestGateway g = seed(idp, api);
        for (int i = 0; i < 5; i++) {
            assertThat(get(g, token(OLD, "k1")).code()).isEqualTo(200);
        }
        assertThat(idp.requestCount()).isEqualTo(1);
        assertThat(idp.lastRequest().uri()).isEqualTo("/.well-known/jwks.json");
        assertThat(api.requestCount()).isEqualTo(5);
        assertInvalid(get(g, token(NEW, "k1")), "signature verification failed");
        clock.advanceSeconds(301);
        assertThat(get(g, token(OLD, "k1")).code()).isEqualTo(200);
        assertThat(idp.requestCount()).isEqualTo(2);
    }

    @Test
    void twoHundredConcurrentRequestsOnAColdCacheFetchOnce() throws Exception {
        TestBackend idp = backend(Behaviour.always(Reply.delay(Duration.ofMillis(300),
                Reply.status(200, jwks(OLD, "k1")))));
        TestGateway g = seed(idp, backend(Behaviour.echo()));
        String t = token(OLD, "k1");
        ExecutorService pool = Executors.newFixedThreadPool(200);
        try {
            List<Future<RawResponse>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                fs.add(pool.submit(() -> get(g, t)));
            }
            for (Future<RawResponse> f : fs) {
                assertThat(f.get().code()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(idp.requestCount()).isEqualTo(1);
    }

    @Test
    void badProviderAnswersAreUnavailableAndFailuresAreNotCached() throws Exception {
        List<Reply> bad = List.of(
                Reply.status(500, "down"),
                Reply.status(200, "<html>not json</html>"),
                Reply.status(200, "{}"),
                Reply.status(200, jwks(OLD, "k1")).header("Content-Encoding", "gzip"),
                Reply.status(200, "{\"keys\":[],\"pad\":\"" + "x".repeat(300 * 1024) + "\"}"),
                Reply.never(),
                Reply.reset());
        for (Reply reply : bad) {
            TestBackend idp = backend(Behaviour.always(reply));
            TestGateway g = custom(idp, "proxy_cache_valid 200 5m;");
            assertUnavailable(get(g, token(OLD, "k1")));
        }
        TestBackend idp = backend(Behaviour.always(Reply.status(500, "down")));
        TestGateway g = custom(idp, "proxy_cache_valid 200 5m;");
        assertUnavailable(get(g, token(OLD, "k1")));
        assertUnavailable(get(g, token(OLD, "k1")));
        assertThat(idp.requestCount()).isEqualTo(2); // a 500 is not cached
        TestBackend refused = backend(Behaviour.echo());
        int port = refused.port();
        refused.close();
        TestGateway g2 = start("proxy_cache_path %s keys_zone=r:1m;".formatted(tmp.resolve("r")), """
                location /keys { internal; proxy_pass http://127.0.0.1:%d; proxy_cache r; }
                location /api { jwt_key_request /keys; echo "ok"; }
                """.formatted(port));
        assertUnavailable(get(g2, token(OLD, "k1")));
    }

    @Test
    void rotatedKeysAreAcceptedAfterExpiry() throws Exception {
        TestBackend idp = backend(Behaviour.sequence(Reply.status(200, jwks(OLD, "k1")),
                Reply.status(200, jwks(NEW, "k2"))));
        TestGateway g = custom(idp, "proxy_cache_valid 200 5m;");
        assertThat(get(g, token(OLD, "k1")).code()).isEqualTo(200);
        clock.advanceSeconds(301);
        assertThat(get(g, token(NEW, "k2")).code()).isEqualTo(200);
        assertThat(idp.requestCount()).isEqualTo(2);
    }

    @Test
    void randomKidFloodWithBypassCausesBoundedFetches() throws Exception {
        TestBackend idp = backend(Behaviour.always(Reply.status(200, jwks(OLD, "k1"))));
        TestGateway g = custom(idp, "proxy_cache_valid 200 5m; proxy_cache_bypass $jwt_key_refresh;");
        assertThat(get(g, token(OLD, "k1")).code()).isEqualTo(200);
        for (int i = 0; i < 30; i++) {
            assertInvalid(get(g, token(OLD, UUID.randomUUID().toString())), "no matching key");
        }
        // one fetch to fill the cache, one forced refresh per jwt_key_refresh_interval
        assertThat(idp.requestCount()).isEqualTo(2);
        assertThat(get(g, token(OLD, "k1")).code()).isEqualTo(200);
        assertThat(idp.requestCount()).isEqualTo(2);
    }

    @Test
    void deadProviderWithUseStaleKeepsServingKeys() throws Exception {
        TestBackend idp = backend(Behaviour.always(Reply.status(200, jwks(OLD, "k1"))));
        TestGateway g = custom(idp, "proxy_cache_valid 200 1m; proxy_cache_use_stale error timeout;");
        assertThat(get(g, token(OLD, "k1")).code()).isEqualTo(200);
        clock.advanceSeconds(600);
        idp.behaviour(Behaviour.always(Reply.never()));
        assertThat(get(g, token(OLD, "k1")).code()).isEqualTo(200); // timeout: stale
        idp.close();
        clock.advanceSeconds(600);
        assertThat(get(g, token(OLD, "k1")).code()).isEqualTo(200); // refused: stale
    }

    @Test
    void deadProviderWithoutUseStaleIsUnavailable() throws Exception {
        TestBackend idp = backend(Behaviour.always(Reply.status(200, jwks(OLD, "k1"))));
        TestGateway g = custom(idp, "proxy_cache_valid 200 1m;");
        assertThat(get(g, token(OLD, "k1")).code()).isEqualTo(200);
        clock.advanceSeconds(600);
        idp.close();
        assertUnavailable(get(g, token(OLD, "k1")));
    }

    @Test
    void unwritableCacheDirectoryIsAStartUpError() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        var e = TestGateway.configError(Fixtures.conf(TestGateway.freePort(),
                "proxy_cache_path " + file.resolve("keys") + " keys_zone=k:1m;", ""), modules());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("mkdir()").contains("nginx.conf:3");
    }
}
