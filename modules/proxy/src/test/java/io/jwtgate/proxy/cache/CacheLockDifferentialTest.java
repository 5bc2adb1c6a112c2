package io.jwtgate.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy_cache_lock_timeout}, {@code proxy_cache_lock_age} and {@code proxy_cache_background_update} against
 * stock nginx, in real time with short timeouts: the same sequence of requests, each server in front of its own
 * slow upstream, gives the same cache statuses, the same bodies (each upstream answer is numbered, so a body tells
 * which answer the cache kept) and the same number of upstream requests.
 */
class CacheLockDifferentialTest {

    /** The upstream of one server: answers {@code <path prefix>-<n>}, the n-th request for that prefix. */
    static final class Numbered {
        final TestBackend backend;
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();

        Numbered() {
            backend = TestBackend.start(request -> {
                String prefix = request.uri().substring(1, request.uri().indexOf('/', 1));
                int n = counts.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
                arrivals.computeIfAbsent(prefix, p -> new CopyOnWriteArrayList<>())
                        .add(System.nanoTime() / 1_000_000);
                Reply reply = Reply.status(200, prefix + "-" + n);
                return switch (prefix) {
                    case "lock-timeout" -> Reply.delay(Duration.ofMillis(2500), reply);
                    case "lock-age" -> Reply.delay(Duration.ofMillis(2000), reply);
                    case "uncacheable" ->
                        Reply.delay(Duration.ofMillis(1000), reply.header("Cache-Control", "no-store"));
                    default -> n == 1 ? reply : Reply.delay(Duration.ofMillis(1500), reply);
                };
            });
        }

        int count(String prefix) {
            AtomicInteger n = counts.get(prefix);
            return n == null ? 0 : n.get();
        }
    }

    static final Map<Integer, Numbered> upstreams = new ConcurrentHashMap<>();
    static SideBySide pair;
    static ExecutorService pool;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("cache-lock-diff");
        pool = Executors.newFixedThreadPool(8);
        pair = SideBySide.start(port -> {
            Numbered u = new Numbered();
            upstreams.put(port, u);
            return """
                    proxy_cache_path %1$s/c%2$d keys_zone=z%2$d:1m;
                    server {
                        listen 127.0.0.1:%2$d;
                        proxy_cache z%2$d;
                        proxy_cache_lock on;
                        add_header X-Cache $upstream_cache_status;
                        location /lock-timeout/ {
                            proxy_cache_valid 1m;
                            proxy_cache_lock_timeout 1s;
                            proxy_pass http://%3$s;
                        }
                        location /lock-age/ {
                            proxy_cache_valid 1m;
                            proxy_cache_lock_age 1s;
                            proxy_cache_lock_timeout 10s;
                            proxy_pass http://%3$s;
                        }
                        location /uncacheable/ {
                            proxy_cache_valid 1m;
                            proxy_cache_lock_timeout 10s;
                            proxy_pass http://%3$s;
                        }
                        location /background/ {
                            proxy_cache_valid 1s;
                            proxy_cache_use_stale updating;
                            proxy_cache_background_update on;
                            proxy_pass http://%3$s;
                        }
                    }
                    """.formatted(dir, port, u.backend.hostPort());
        }, () -> {
            List<HttpModule> modules = new ArrayList<>(CoreModules.create());
            modules.addAll(ProxyModules.create());
            return modules;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        for (Numbered u : upstreams.values()) {
            u.backend.close();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** What a client saw: {@code $upstream_cache_status}, the body, and how long it waited. */
    record Seen(String cache, String body, long millis) {
        @Override
        public String toString() {
            return cache + " " + body;
        }
    }

    static Seen get(int port, String path) {
        long t0 = System.nanoTime();
        RawResponse r = RawHttpClient.get(port, path);
        assertThat(r.code()).as(path).isEqualTo(200);
        return new Seen(r.header("X-Cache"), r.bodyString(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Runs {@code scenario} against nginx and jwtgate at once and returns what each saw, nginx's first. */
    static List<List<Seen>> both(Scenario scenario) throws Exception {
        Future<List<Seen>> nginx = pool.submit(() -> scenario.run(pair.nginxPort()));
        Future<List<Seen>> gateway = pool.submit(() -> scenario.run(pair.gatewayPort()));
        return List.of(nginx.get(), gateway.get());
    }

    @FunctionalInterface
    interface Scenario {
        List<Seen> run(int port) throws Exception;
    }

    /** Starts {@code path} now and a second one {@code laterMs} later; then a third once both have ended. */
    static List<Seen> twoThenOne(int port, String path, long laterMs) throws Exception {
        Future<Seen> first = pool.submit(() -> get(port, path));
        Thread.sleep(laterMs); // the second must find the first at the upstream
        Future<Seen> second = pool.submit(() -> get(port, path));
        List<Seen> seen = new ArrayList<>(List.of(first.get(), second.get()));
        seen.add(get(port, path));
        return seen;
    }

    @Test
    void afterTheLockTimeoutARequestGoesUpstreamAndItsAnswerIsNotStored() throws Exception {
        List<List<Seen>> seen = both(port -> twoThenOne(port, "/lock-timeout/k", 300));
        // the second waits 1 s, then asks the upstream itself; the third is served the first answer, not the second's
        assertThat(seen.get(0).toString()).isEqualTo("[MISS lock-timeout-1, MISS lock-timeout-2, HIT lock-timeout-1]");
        assertThat(seen.get(1).toString()).isEqualTo(seen.get(0).toString());
        for (int i = 0; i < 2; i++) {
            assertThat(seen.get(i).get(1).millis()).as("the second request").isBetween(3000L, 5000L);
            assertThat(upstreams.get(port(i)).count("lock-timeout")).isEqualTo(2);
        }
    }

    @Test
    void afterTheLockAgeTheNextWaiterRefreshesAndItsAnswerIsStored() throws Exception {
        List<List<Seen>> seen = both(port -> twoThenOne(port, "/lock-age/k", 300));
        // the second stops waiting once the first has held the lock 1 s, asks the upstream, and stores what it gets
        assertThat(seen.get(0).toString()).isEqualTo("[MISS lock-age-1, MISS lock-age-2, HIT lock-age-2]");
        assertThat(seen.get(1).toString()).isEqualTo(seen.get(0).toString());
        for (int i = 0; i < 2; i++) {
            assertThat(seen.get(i).get(1).millis()).as("the second request").isBetween(2500L, 4500L);
            assertThat(upstreams.get(port(i)).count("lock-age")).isEqualTo(2);
        }
    }

    @Test
    void whenAFillStoresNothingTheWaitersGoUpstreamOneAtATime() throws Exception {
        List<List<Seen>> seen = both(port -> {
            List<Future<Seen>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                fs.add(pool.submit(() -> get(port, "/uncacheable/k")));
                Thread.sleep(100);
            }
            List<Seen> s = new ArrayList<>();
            for (Future<Seen> f : fs) {
                s.add(new Seen(f.get().cache(), "", 0)); // which waiter goes next is a race: compare statuses only
            }
            return s;
        });
        assertThat(seen.get(0).toString()).isEqualTo("[MISS , MISS , MISS ]");
        assertThat(seen.get(1).toString()).isEqualTo(seen.get(0).toString());
        for (int i = 0; i < 2; i++) {
            List<Long> at = upstreams.get(port(i)).arrivals.get("uncacheable");
            assertThat(at).hasSize(3);
            // each goes upstream once the one before has answered (1 s), never two at once
            assertThat(at.get(1) - at.get(0)).as("server %d", i).isGreaterThanOrEqualTo(950);
            assertThat(at.get(2) - at.get(1)).as("server %d", i).isGreaterThanOrEqualTo(950);
        }
    }

    @Test
    void backgroundUpdateServesTheExpiredEntryAtOnceAndRefreshesIt() throws Exception {
        List<List<Seen>> seen = both(port -> {
            List<Seen> s = new ArrayList<>();
            s.add(get(port, "/background/k"));
            Thread.sleep(2100); // nginx counts validity in whole seconds: expired for sure
            s.add(get(port, "/background/k")); // starts the refresh, which the upstream holds for 1.5 s
            s.add(get(port, "/background/k")); // while it runs
            Thread.sleep(2000);
            s.add(get(port, "/background/k"));
            return s;
        });
        assertThat(seen.get(0).toString())
                .isEqualTo("[MISS background-1, STALE background-1, UPDATING background-1, HIT background-2]");
        assertThat(seen.get(1).toString()).isEqualTo(seen.get(0).toString());
        for (int i = 0; i < 2; i++) {
            assertThat(seen.get(i).get(1).millis()).as("the expired entry is served at once").isLessThan(1000);
            assertThat(upstreams.get(port(i)).count("background")).isEqualTo(2);
        }
    }

    private static int port(int i) {
        return i == 0 ? pair.nginxPort() : pair.gatewayPort();
    }
}
