package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code jwt_key_request_prefetch on} (docs/jwt.md#jwt_key_request_prefetch), with a real {@code jwtgate} process and
 * a JWKS backend that answers slowly: the keys are fetched, through the key location and its {@code proxy_cache},
 * before the listening socket opens, so the first client request is answered without a fetch of its own; a failed
 * prefetch is logged and the gateway starts anyway, failing closed with 503; a reload fetches the new configuration's
 * keys before the swap.
 */
class KeyPrefetchTest extends GatewayProcessFixture {

    /** How long the identity provider takes to answer. */
    private static final Duration SLOW = Duration.ofMillis(1500);

    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
    /** For each key fetch, what the gateway's port showed when it arrived. */
    private final Queue<String> seenAtFetch = new ConcurrentLinkedQueue<>();

    @Test
    void keysAreFetchedBeforeThePortOpens() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        int port = TestGateway.freePort();
        try (TestBackend backend = provider(port, Map.of("/jwks1", new JWKSet(key.toPublicJWK()).toString()))) {
            writeConf(conf(port, backend.port(), 1));
            try (ChildProcess gw = startGateway(port)) {
                assertThat(count("/jwks1")).as("key fetches when the port opened").isEqualTo(1);
                assertThat(seenAtFetch).as("the port during the fetch").containsExactly("closed");

                long t0 = System.nanoTime();
                RawResponse r = RawHttpClient.get(port, "/api", bearer(key));
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(r.code()).as("first client request").isEqualTo(200);
                assertThat(count("/jwks1")).as("the first request fetched nothing").isEqualTo(1);
                assertThat(millis).as("the first request did not wait for the provider").isLessThan(SLOW.toMillis());
                assertThat(errorLog()).contains("jwt_key_request \"/jwks1\" prefetched for location \"/api\": 1 key");
                assertThat(gw.isAlive()).isTrue();
            }
        }
    }

    @Test
    void failedPrefetchIsLoggedAndTheGatewayFailsClosed() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        int port = TestGateway.freePort();
        try (TestBackend backend = provider(port, Map.of())) {
            writeConf(conf(port, backend.port(), 1));
            try (ChildProcess gw = startGateway(port)) {
                assertThat(count("/jwks1")).isEqualTo(1);
                assertThat(errorLog()).contains("jwt_key_request \"/jwks1\" prefetch for location \"/api\" failed: "
                        + "status 500; requests fetch the keys themselves");
                RawResponse r = RawHttpClient.get(port, "/api", bearer(key));
                assertThat(r.code()).as("every key source failed").isEqualTo(503);
                assertThat(r.header("Retry-After")).isNotNull();
                assertThat(count("/jwks1")).as("the request asked again").isEqualTo(2);
            }
        }
    }

    @Test
    void reloadFetchesTheNewKeysBeforeTheSwap() throws Exception {
        RSAKey key1 = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey key2 = new RSAKeyGenerator(2048).keyID("k2").generate();
        int port = TestGateway.freePort();
        try (TestBackend backend = provider(port, Map.of("/jwks1", new JWKSet(key1.toPublicJWK()).toString(),
                "/jwks2", new JWKSet(key2.toPublicJWK()).toString()))) {
            writeConf(conf(port, backend.port(), 1));
            try (ChildProcess gw = startGateway(port)) {
                assertThat(RawHttpClient.get(port, "/api", bearer(key1)).code()).isEqualTo(200);
                seenAtFetch.clear();

                Files.writeString(conf, conf(port, backend.port(), 2));
                assertThat(control("reload")).isEqualTo(Exit.OK);
                assertThat(count("/jwks2")).as("the new keys were fetched during the reload").isEqualTo(1);
                assertThat(seenAtFetch).as("the configuration serving during the fetch").containsExactly("gen 1");
                assertThat(body(port, "/gen")).isEqualTo("gen 2");

                long t0 = System.nanoTime();
                RawResponse r = RawHttpClient.get(port, "/api", bearer(key2));
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(r.code()).as("first request on the new configuration").isEqualTo(200);
                assertThat(count("/jwks2")).as("it fetched nothing").isEqualTo(1);
                assertThat(millis).isLessThan(SLOW.toMillis());
                assertThat(RawHttpClient.get(port, "/api", bearer(key1)).code()).as("the old key is gone")
                        .isEqualTo(401);
                assertThat(gw.isAlive()).isTrue();
            }
        }
    }

    /**
     * The identity provider: each JWKS path of {@code docs} after {@link #SLOW}, any other {@code /jwks*} path 500
     * at once, and {@code ok} to anything else; a key fetch records what the gateway's port shows at its arrival
     * ({@code closed}, or the body of {@code /gen}: the generation serving).
     */
    private TestBackend provider(int gatewayPort, Map<String, String> docs) {
        return TestBackend.start(r -> {
            if (!r.uri().startsWith("/jwks")) {
                return Reply.status(200, "ok");
            }
            fetches.computeIfAbsent(r.uri(), u -> new AtomicInteger()).incrementAndGet();
            seenAtFetch.add(accepts(gatewayPort) ? body(gatewayPort, "/gen") : "closed");
            String doc = docs.get(r.uri());
            return doc == null ? Reply.status(500, "down") : Reply.delay(SLOW, Reply.status(200, doc));
        });
    }

    private int count(String path) {
        AtomicInteger n = fetches.get(path);
        return n == null ? 0 : n.get();
    }

    private static String bearer(RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("alice")
                        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        jwt.sign(new RSASSASigner(key));
        return "Authorization: Bearer " + jwt.serialize();
    }

    /** Generation {@code g}: its own key location ({@code /jwks<g>}, cached), prefetched for {@code /api}. */
    private String conf(int port, int backend, int g) {
        return """
                pid run.pid;
                error_log error.log info;
                events { worker_connections 64; }
                http {
                    proxy_cache_path %1$s/keys keys_zone=keys:1m;
                    server {
                        listen 127.0.0.1:%2$d;
                        jwt_key_request_prefetch on;
                        location = /jwks%4$d {
                            internal;
                            proxy_cache keys;
                            proxy_cache_valid 200 5m;
                            proxy_pass http://127.0.0.1:%3$d;
                        }
                        location /api {
                            jwt_key_request /jwks%4$d;
                            proxy_pass http://127.0.0.1:%3$d;
                        }
                        location = /gen {
                            return 200 "gen %4$d";
                        }
                    }
                }
                """.formatted(dir, port, backend, g);
    }
}
