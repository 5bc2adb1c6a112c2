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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * {@code -s reload} under load (docs/operations.md#reload): clients on keep-alive connections and clients that open a
 * connection per request send JWT-authenticated requests, proxied to a real backend, while the gateway reloads five
 * times in about five seconds and rejects one broken configuration in between. Not one request may fail: no refused
 * or reset connection, no response other than 200; the key set, fetched through {@code proxy_cache} before the
 * first reload, is not fetched again; every request after the last reload is served by the last configuration; and
 * every request is in the access log once, those in flight at a reload included.
 */
class ReloadUnderLoadTest extends GatewayProcessFixture {

    private static final int KEEP_ALIVE_CLIENTS = 4;
    private static final int NEW_CONNECTION_CLIENTS = 2;
    private static final int RELOADS = 5;

    @Test
    void reloadsUnderLoadFailNoRequest() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String jwks = new JWKSet(key.toPublicJWK()).toString();
        AtomicInteger keyFetches = new AtomicInteger();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                new JWTClaimsSet.Builder().subject("alice")
                        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        jwt.sign(new RSASSASigner(key));
        String auth = "Authorization: Bearer " + jwt.serialize();

        try (TestBackend backend = TestBackend.start(r -> {
            if (r.uri().startsWith("/jwks")) {
                keyFetches.incrementAndGet();
                return Reply.status(200, jwks);
            }
            return Reply.status(200, "ok");
        })) {
            int port = TestGateway.freePort();
            writeConf(conf(port, backend.port(), "0"));
            try (ChildProcess gw = startGateway(port)) {
                assertThat(RawHttpClient.get(port, "/api", auth).code()).isEqualTo(200);
                assertThat(keyFetches.get()).isEqualTo(1);

                Load load = new Load(port, auth);
                load.start();
                Thread.sleep(500);
                for (int g = 1; g <= RELOADS; g++) {
                    if (g == 3) {
                        rejectBrokenConfiguration(gw);
                    }
                    Files.writeString(conf, conf(port, backend.port(), Integer.toString(g)));
                    long t0 = System.nanoTime();
                    assertThat(control("reload")).as("reload %d", g).isEqualTo(Exit.OK);
                    Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - t0) / 1_000_000));
                }
                load.stop();

                assertThat(load.errors).as("failed requests").isEmpty();
                assertThat(load.statuses).as("statuses").containsOnlyKeys(200);
                assertThat(load.requests.sum()).as("requests sent").isGreaterThan(100);
                assertThat(load.newConnections.sum()).as("new connections").isGreaterThan(20);
                assertThat(load.generationsSeen).as("generations served").contains("0", "1", "2", "3", "4", "5");
                assertThat(load.afterLastReload).as("generation served after the last reload").containsOnly("5");
                assertThat(keyFetches.get()).as("key set fetches: the cached keys carry over").isEqualTo(1);
                // every request logged once, those in flight at a reload too (by the configuration they ran on)
                long logged = load.requests.sum() + 1;
                gw.await("every request in the access log", START, () -> accessLogLines() >= logged);
                assertThat(accessLogLines()).isEqualTo(logged);
                assertThat(gw.isAlive()).isTrue();
            }
        }
    }

    private long accessLogLines() {
        try {
            Path log = dir.resolve("access.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1).chars()
                    .filter(c -> c == '\n').count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A broken file, signalled with HUP as {@code kill -HUP} would: logged and rejected, the old one serves on. */
    private void rejectBrokenConfiguration(ChildProcess gw) throws Exception {
        Files.writeString(conf, "http { server { listen 127.0.0.1:1; location / { return 200 } } }\n");
        long before = ReloadStatus.baseline(ReloadStatus.fileFor(pid), gw.pid());
        assertThat(Signals.send("HUP", gw.pid())).isNull();
        ReloadStatus.Line verdict = ReloadStatus.await(ReloadStatus.fileFor(pid), gw.pid(), before, START);
        assertThat(verdict.state()).isEqualTo(ReloadStatus.State.FAILED);
        assertThat(errorLog()).contains("keeping the running configuration");
    }

    private String conf(int port, int backend, String generation) {
        return """
                pid run.pid;
                error_log error.log info;
                events { worker_connections 256; }
                http {
                    access_log access.log;
                    proxy_cache_path %1$s/jwks-cache keys_zone=jwks:1m;
                    upstream backend { server 127.0.0.1:%3$d; keepalive 16; }
                    server {
                        listen 127.0.0.1:%2$d;
                        location = /jwks {
                            internal;
                            proxy_cache jwks;
                            proxy_cache_valid 200 5m;
                            proxy_pass http://backend/jwks;
                        }
                        location /api {
                            jwt_key_request /jwks;
                            add_header X-Generation %4$s;
                            proxy_pass http://backend;
                        }
                    }
                }
                """.formatted(dir, port, backend, generation);
    }

    /** Client threads sending requests until stopped, counting outcomes. */
    private static final class Load {
        final int port;
        final String auth;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicBoolean lastReloadDone = new AtomicBoolean();
        final LongAdder requests = new LongAdder();
        final LongAdder newConnections = new LongAdder();
        final Queue<String> errors = new ConcurrentLinkedQueue<>();
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        final Queue<String> generationsSeen = new ConcurrentLinkedQueue<>();
        final Queue<String> afterLastReload = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();

        Load(int port, String auth) {
            this.port = port;
            this.auth = auth;
        }

        void start() {
            for (int i = 0; i < KEEP_ALIVE_CLIENTS + NEW_CONNECTION_CLIENTS; i++) {
                boolean keepAlive = i < KEEP_ALIVE_CLIENTS;
                Thread t = new Thread(() -> run(keepAlive), "load-" + i);
                t.start();
                threads.add(t);
            }
        }

        /** Ends the load after half a second more, so that requests after the last reload are seen. */
        void stop() throws InterruptedException {
            lastReloadDone.set(true);
            Thread.sleep(500);
            running.set(false);
            for (Thread t : threads) {
                t.join(15_000);
                assertThat(t.isAlive()).as(t.getName() + " ended").isFalse();
            }
        }

        private void run(boolean keepAlive) {
            RawHttpClient c = null;
            try {
                while (running.get()) {
                    boolean after = lastReloadDone.get();
                    RawResponse r;
                    try {
                        if (keepAlive) {
                            if (c == null) {
                                c = RawHttpClient.connect(port);
                            }
                            r = c.send("GET /api HTTP/1.1\r\nHost: localhost\r\n" + auth + "\r\n\r\n").readResponse();
                            if ("close".equalsIgnoreCase(r.header("Connection"))) {
                                c.close(); // keepalive_requests reached: the gateway said so
                                c = null;
                            }
                        } else {
                            newConnections.increment();
                            r = RawHttpClient.get(port, "/api", auth);
                        }
                    } catch (UncheckedIOException | IllegalStateException e) {
                        errors.add((keepAlive ? "keep-alive: " : "new connection: ") + e);
                        if (c != null) {
                            c.close();
                            c = null;
                        }
                        continue;
                    }
                    requests.increment();
                    statuses.computeIfAbsent(r.code(), k -> new LongAdder()).increment();
                    String g = String.valueOf(r.header("X-Generation"));
                    if (!generationsSeen.contains(g)) {
                        generationsSeen.add(g);
                    }
                    if (after && !afterLastReload.contains(g)) {
                        afterLastReload.add(g);
                    }
                }
            } finally {
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
