package io.jwtgate.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.Behaviour;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** proxy_cache through real sockets: a gateway in front of a counting {@link TestBackend}, time on a test clock. */
class CacheTest {

    /** A clock the test moves. */
    static final class Clock implements InstantSource {
        volatile long millis = 1_700_000_000_000L;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }

        void advance(Duration d) {
            millis += d.toMillis();
        }
    }

    @TempDir
    Path tmp;
    final Clock clock = new Clock();
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    Supplier<List<HttpModule>> modules() {
        return () -> {
            List<HttpModule> all = new ArrayList<>(CoreModules.create());
            all.addAll(ProxyModules.create(clock));
            return all;
        };
    }

    TestBackend backend(Behaviour b) {
        TestBackend t = TestBackend.start(b);
        open.add(t);
        return t;
    }

    String conf(String cachePath, String location, int upstreamPort) {
        return """
                worker_processes 1;
                events { worker_connections 1024; }
                http {
                    proxy_cache_path %s levels=1:2 keys_zone=z:1m inactive=10m max_size=10m;
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        location / {
                            proxy_pass http://127.0.0.1:%d;
                            proxy_cache z;
                            add_header X-Cache $upstream_cache_status always;
                %s
                        }
                        location /nocache { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(cachePath, TestGateway.freePort(), upstreamPort, location, upstreamPort);
    }

    TestGateway gateway(TestBackend b, String location) throws Exception {
        return gateway(tmp.resolve("cache").toString(), b.port(), location);
    }

    TestGateway gateway(String cachePath, int port, String location) throws Exception {
        TestGateway g = TestGateway.start(conf(cachePath, location, port), modules());
        open.add(g);
        return g;
    }

    /** The {@code X-Cache} header ({@code $upstream_cache_status}) of a GET. */
    static String cacheStatus(TestGateway g, String path, String... headers) {
        return get(g, path, headers).header("X-Cache");
    }

    static RawResponse get(TestGateway g, String path, String... headers) {
        return RawHttpClient.get(g.port(), path, headers);
    }

    @Test
    void missThenHitWithTheFileOnDisk() throws Exception {
        TestBackend b = backend(Behaviour.always(Reply.status(200, "keys").header("X-Up", "1")));
        TestGateway g = gateway(b, "proxy_cache_valid 200 5m;");
        RawResponse r1 = get(g, "/jwks");
        assertThat(r1.code()).isEqualTo(200);
        assertThat(r1.header("X-Cache")).isEqualTo("MISS");
        RawResponse r2 = get(g, "/jwks");
        assertThat(r2.code()).isEqualTo(200);
        assertThat(r2.bodyString()).isEqualTo("keys");
        assertThat(r2.header("X-Cache")).isEqualTo("HIT");
        assertThat(r2.header("X-Up")).isEqualTo("1");
        assertThat(b.requestCount()).isEqualTo(1);
        // nginx's layout: md5 of "http" + "127.0.0.1:port" + "/jwks", levels=1:2 from the end of the name
        String hash = EntryFile.hash("http127.0.0.1:" + b.port() + "/jwks");
        Path file = tmp.resolve("cache").resolve(hash.substring(31)).resolve(hash.substring(29, 31)).resolve(hash);
        // a small body is served from memory at once; its file is written behind, on the zone's I/O threads
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.isRegularFile(file) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(file).isRegularFile();
        RawResponse head = RawHttpClient.connect(g.port()).send("HEAD /jwks HTTP/1.1\r\nHost: x\r\n\r\n")
                .readResponse(true);
        assertThat(head.code()).isEqualTo(200);
        assertThat(head.header("X-Cache")).isEqualTo("HIT");
        assertThat(head.header("Content-Length")).isEqualTo("4");
    }

    @Test
    void expiresAfterValidityAndTheNewBodyIsServed() throws Exception {
        TestBackend b = backend(Behaviour.sequence(Reply.status(200, "v1"), Reply.status(200, "v2")));
        TestGateway g = gateway(b, "proxy_cache_valid 200 1m;");
        assertThat(get(g, "/k").bodyString()).isEqualTo("v1");
        clock.advance(Duration.ofSeconds(59));
        assertThat(cacheStatus(g, "/k")).isEqualTo("HIT");
        clock.advance(Duration.ofSeconds(2));
        RawResponse r = get(g, "/k");
        assertThat(r.header("X-Cache")).isEqualTo("EXPIRED");
        assertThat(r.bodyString()).isEqualTo("v2");
        RawResponse again = get(g, "/k");
        assertThat(again.header("X-Cache")).isEqualTo("HIT");
        assertThat(again.bodyString()).isEqualTo("v2");
        assertThat(b.requestCount()).isEqualTo(2);
    }

    @Test
    void responsesThatMustNotBeCached() throws Exception {
        TestBackend b = backend(r -> switch (r.uri()) {
            case "/cookie" -> Reply.status(200, "x").header("Set-Cookie", "a=b");
            case "/nostore" -> Reply.status(200, "x").header("Cache-Control", "no-store");
            case "/private" -> Reply.status(200, "x").header("Cache-Control", "private, max-age=60");
            case "/nocache" -> Reply.status(200, "x").header("Cache-Control", "no-cache");
            case "/maxage0" -> Reply.status(200, "x").header("Cache-Control", "max-age=0");
            case "/vary" -> Reply.status(200, "x").header("Vary", "*");
            case "/500" -> Reply.status(500, "x");
            default -> Reply.status(404, "x");
        });
        TestGateway g = gateway(b, "proxy_cache_valid 5m;");
        for (String p : List.of("/cookie", "/nostore", "/private", "/vary", "/500", "/404", "/maxage0")) {
            int before = b.requestCount();
            assertThat(cacheStatus(g, p)).as(p).isEqualTo("MISS");
            assertThat(cacheStatus(g, p)).as(p).isEqualTo("MISS");
            assertThat(b.requestCount()).as(p).isEqualTo(before + 2);
        }
        RawResponse post = RawHttpClient.connect(g.port())
                .send("POST /404 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").readResponse();
        assertThat(post.header("X-Cache")).isNull();
    }

    @Test
    void upstreamValidityHeaders() throws Exception {
        Instant start = clock.instant();
        String in30s = DateTimeFormatter.RFC_1123_DATE_TIME.format(start.plusSeconds(30).atZone(ZoneOffset.UTC));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(start.minusSeconds(30).atZone(ZoneOffset.UTC));
        long at20 = start.getEpochSecond() + 20;
        TestBackend b = backend(r -> switch (r.uri()) {
            // X-Accel-Expires wins over Cache-Control and Expires, whichever way they point
            case "/accel" -> Reply.status(200, "a").header("X-Accel-Expires", "10").header("Cache-Control", "no-cache");
            case "/accel-at" -> Reply.status(200, "a").header("X-Accel-Expires", "@" + at20);
            case "/accel0" -> Reply.status(200, "a").header("X-Accel-Expires", "0").header("Expires", in30s);
            case "/expires" -> Reply.status(200, "e").header("Expires", in30s);
            case "/expires-past" -> Reply.status(200, "e").header("Expires", past);
            case "/expires0" -> Reply.status(200, "e").header("Expires", "0");
            case "/cc-over-expires" -> Reply.status(200, "c").header("Cache-Control", "max-age=5")
                    .header("Expires", in30s);
            default -> Reply.status(200, "d").header("X-Accel-Expires", "60");
        });
        TestGateway g = gateway(b, "proxy_cache_valid 1h;");
        for (String p : List.of("/accel", "/accel-at", "/expires", "/cc-over-expires")) {
            RawResponse miss = get(g, p);
            assertThat(miss.header("X-Cache")).as(p).isEqualTo("MISS");
            assertThat(miss.header("X-Accel-Expires")).as(p).isNull();
            RawResponse hit = get(g, p);
            assertThat(hit.header("X-Cache")).as(p).isEqualTo("HIT");
            assertThat(hit.header("X-Accel-Expires")).as(p).isNull();
        }
        for (String p : List.of("/accel0", "/expires-past", "/expires0")) {
            get(g, p);
            assertThat(cacheStatus(g, p)).as(p).isEqualTo("MISS");
        }
        assertThat(get(g, "/nocache/x").header("X-Accel-Expires")).isNull(); // hidden without a cache too
        clock.advance(Duration.ofSeconds(6));
        assertThat(cacheStatus(g, "/cc-over-expires")).isEqualTo("EXPIRED");
        assertThat(cacheStatus(g, "/accel")).isEqualTo("HIT");
        assertThat(cacheStatus(g, "/expires")).isEqualTo("HIT");
        clock.advance(Duration.ofSeconds(5));
        assertThat(cacheStatus(g, "/accel")).isEqualTo("EXPIRED");
        assertThat(cacheStatus(g, "/accel-at")).isEqualTo("HIT");
        clock.advance(Duration.ofSeconds(10));
        assertThat(cacheStatus(g, "/accel-at")).isEqualTo("EXPIRED");
        assertThat(cacheStatus(g, "/expires")).isEqualTo("HIT");
        clock.advance(Duration.ofSeconds(10));
        assertThat(cacheStatus(g, "/expires")).isEqualTo("EXPIRED");
    }

    @Test
    void validCodesAnyAndMaxAge() throws Exception {
        TestBackend b = backend(r -> switch (r.uri()) {
            case "/404" -> Reply.status(404, "gone");
            case "/500" -> Reply.status(500, "err");
            case "/short" -> Reply.status(200, "s").header("Cache-Control", "public, max-age=10");
            default -> Reply.status(200, "ok");
        });
        TestGateway g = gateway(b, "proxy_cache_valid 200 1h; proxy_cache_valid 404 1m; proxy_cache_valid any 5s;");
        get(g, "/404");
        assertThat(cacheStatus(g, "/404")).isEqualTo("HIT");
        get(g, "/500");
        assertThat(cacheStatus(g, "/500")).isEqualTo("HIT");
        get(g, "/short");
        clock.advance(Duration.ofSeconds(6));
        assertThat(cacheStatus(g, "/500")).isEqualTo("EXPIRED");
        assertThat(cacheStatus(g, "/404")).isEqualTo("HIT");
        assertThat(cacheStatus(g, "/short")).isEqualTo("HIT");
        clock.advance(Duration.ofSeconds(5));
        assertThat(cacheStatus(g, "/short")).isEqualTo("EXPIRED");
    }

    @Test
    void bypassStillStores() throws Exception {
        TestBackend b = backend(Behaviour.sequence(Reply.status(200, "v1"), Reply.status(200, "v2")));
        TestGateway g = gateway(b, "proxy_cache_valid 1h; proxy_cache_bypass $http_x_refresh $arg_nocache;");
        assertThat(get(g, "/k").bodyString()).isEqualTo("v1");
        assertThat(cacheStatus(g, "/k", "X-Refresh: 0")).isEqualTo("HIT");
        RawResponse r = get(g, "/k", "X-Refresh: 1");
        assertThat(r.header("X-Cache")).isEqualTo("BYPASS");
        assertThat(r.bodyString()).isEqualTo("v2");
        RawResponse after = get(g, "/k");
        assertThat(after.header("X-Cache")).isEqualTo("HIT");
        assertThat(after.bodyString()).isEqualTo("v2");
        assertThat(b.requestCount()).isEqualTo(2);
    }

    @Test
    void staleOnErrorTimeoutAnd5xx() throws Exception {
        TestBackend b = backend(Behaviour.always(Reply.status(200, "good")));
        TestGateway g = gateway(b, """
                proxy_cache_valid 200 1m; proxy_cache_use_stale error timeout http_500;
                proxy_read_timeout 1s;""");
        get(g, "/k");
        clock.advance(Duration.ofMinutes(2));
        b.behaviour(Behaviour.always(Reply.status(500, "bad")));
        RawResponse r = get(g, "/k");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("X-Cache")).isEqualTo("STALE");
        assertThat(r.bodyString()).isEqualTo("good");
        b.behaviour(Behaviour.always(Reply.never()));
        RawResponse t = get(g, "/k");
        assertThat(t.header("X-Cache")).isEqualTo("STALE");
        assertThat(t.bodyString()).isEqualTo("good");
        b.close();
        RawResponse e = get(g, "/k");
        assertThat(e.code()).isEqualTo(200);
        assertThat(e.header("X-Cache")).isEqualTo("STALE");
        assertThat(e.bodyString()).isEqualTo("good");
    }

    @Test
    void withoutUseStaleAFailureIsAnError() throws Exception {
        TestBackend b = backend(Behaviour.always(Reply.status(200, "good")));
        TestGateway g = gateway(b, "proxy_cache_valid 200 1m;");
        get(g, "/k");
        clock.advance(Duration.ofMinutes(2));
        b.close();
        RawResponse r = get(g, "/k");
        assertThat(r.code()).isEqualTo(502);
        assertThat(r.header("X-Cache")).isEqualTo("EXPIRED");
    }

    @Test
    void lockSendsOneRequestForManyConcurrentMisses() throws Exception {
        TestBackend b = backend(Behaviour.always(Reply.delay(Duration.ofMillis(300), Reply.status(200, "once"))));
        TestGateway g = gateway(b, "proxy_cache_valid 1m;");
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<RawResponse>> fs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                fs.add(pool.submit(() -> get(g, "/cold")));
            }
            List<String> statuses = new ArrayList<>();
            for (Future<RawResponse> f : fs) {
                RawResponse r = f.get();
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.bodyString()).isEqualTo("once");
                statuses.add(r.header("X-Cache"));
            }
            assertThat(b.requestCount()).isEqualTo(1);
            assertThat(statuses).containsOnly("MISS", "HIT").containsOnlyOnce("MISS");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void updatingServesStaleWhileOneRequestRefreshes() throws Exception {
        TestBackend b = backend(Behaviour.sequence(Reply.status(200, "old"),
                Reply.delay(Duration.ofMillis(1500), Reply.status(200, "new"))));
        TestGateway g = gateway(b, "proxy_cache_valid 1m; proxy_cache_use_stale updating;");
        get(g, "/k");
        clock.advance(Duration.ofMinutes(2));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RawResponse> refresher = pool.submit(() -> get(g, "/k"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (b.requestCount() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10); // until the refresh is at the backend, which holds it for 1.5 s
            }
            RawResponse during = get(g, "/k");
            assertThat(during.header("X-Cache")).isEqualTo("UPDATING");
            assertThat(during.bodyString()).isEqualTo("old");
            RawResponse r = refresher.get();
            assertThat(r.header("X-Cache")).isEqualTo("EXPIRED");
            assertThat(r.bodyString()).isEqualTo("new");
            assertThat(get(g, "/k").bodyString()).isEqualTo("new");
            assertThat(b.requestCount()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void backgroundUpdateNeedsUseStaleUpdating() throws Exception {
        TestBackend b = backend(Behaviour.sequence(Reply.status(200, "old"), Reply.status(200, "new")));
        TestGateway g = gateway(b, "proxy_cache_valid 1m; proxy_cache_background_update on;");
        get(g, "/k");
        clock.advance(Duration.ofMinutes(2));
        RawResponse r = get(g, "/k");
        assertThat(r.header("X-Cache")).isEqualTo("EXPIRED");
        assertThat(r.bodyString()).isEqualTo("new");
    }

    @Test
    void aRefreshInTheBackgroundThatHangsCostsClientsNoTime() throws Exception {
        TestBackend b = backend(Behaviour.sequence(Reply.status(200, "old"), Reply.never()));
        TestGateway g = gateway(b, "proxy_cache_valid 1m; proxy_cache_use_stale updating; "
                + "proxy_cache_background_update on; proxy_read_timeout 3s;");
        get(g, "/k");
        clock.advance(Duration.ofMinutes(2));
        long t0 = System.nanoTime();
        RawResponse stale = get(g, "/k");
        RawResponse during = get(g, "/k");
        // well below the 3 s the refresh hangs for, with room for a loaded machine
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
        assertThat(stale.header("X-Cache")).isEqualTo("STALE");
        assertThat(stale.bodyString()).isEqualTo("old");
        assertThat(during.header("X-Cache")).isEqualTo("UPDATING");
        assertThat(during.bodyString()).isEqualTo("old");
        // UPDATING until the refresh times out after 3 s; then the entry is still the old one, and the next request
        // is answered with it at once while it starts another refresh
        long deadline = System.nanoTime() + 8_000_000_000L;
        RawResponse again;
        do {
            Thread.sleep(50);
            again = get(g, "/k");
        } while (again.header("X-Cache").equals("UPDATING") && System.nanoTime() < deadline);
        assertThat(again.header("X-Cache")).isEqualTo("STALE");
        assertThat(again.bodyString()).isEqualTo("old");
        while (b.requestCount() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(b.requestCount()).isEqualTo(3);
    }

    @Test
    void aRestartedGatewayServesWhatIsOnDisk() throws Exception {
        TestBackend b = backend(Behaviour.always(Reply.status(200, "persisted")));
        String path = tmp.resolve("cache").toString();
        TestGateway first = gateway(path, b.port(), "proxy_cache_valid 1h;");
        get(first, "/k");
        get(first, "/big");
        first.close();
        open.remove(first);
        // files are written after the responses went out; stopping waits for them, so both are whole on disk now
        assertThat(files()).hasSize(2);
        int port = b.port();
        b.close();
        TestGateway second = gateway(path, port, "proxy_cache_valid 1h;");
        RawResponse r = get(second, "/k");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("X-Cache")).isEqualTo("HIT");
        assertThat(r.bodyString()).isEqualTo("persisted");
        Thread.sleep(200); // the loader has indexed the disk by now
        assertThat(cacheStatus(second, "/big")).isEqualTo("HIT");
    }

    @Test
    void inactiveEntriesAreRemovedWithTheirFiles() throws Exception {
        TestBackend b = backend(Behaviour.always(Reply.status(200, "x")));
        TestGateway g = gateway(b, "proxy_cache_valid 1h;");
        get(g, "/k");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (files().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // the file is written after the response went out
        }
        assertThat(files()).hasSize(1);
        clock.advance(Duration.ofMinutes(11));
        assertThat(cacheStatus(g, "/k")).isEqualTo("MISS");
        assertThat(b.requestCount()).isEqualTo(2);
    }

    @Test
    void bodiesOverOneMebibytePassUncached() throws Exception {
        TestBackend b = backend(Behaviour.always(Reply.stream(1024 * 1024 + 1)));
        TestGateway g = gateway(b, "proxy_cache_valid 1h;");
        RawResponse r1 = get(g, "/huge");
        assertThat(r1.bodyLength()).isEqualTo(1024 * 1024 + 1);
        RawResponse r2 = get(g, "/huge");
        assertThat(r2.header("X-Cache")).isEqualTo("MISS");
        assertThat(r2.bodyLength()).isEqualTo(1024 * 1024 + 1);
        assertThat(b.requestCount()).isEqualTo(2);
    }

    @Test
    void maxSizeBoundsTheBytesOnDisk() throws Exception {
        TestBackend b = backend(Behaviour.always(Reply.status(200, "y".repeat(100_000))));
        TestGateway g = TestGateway.start("""
                events { }
                http {
                    proxy_cache_path %s keys_zone=s:1m max_size=500k;
                    server { listen 127.0.0.1:%d;
                        location / { proxy_pass http://127.0.0.1:%d; proxy_cache s; proxy_cache_valid 1h; } }
                }
                """.formatted(tmp.resolve("small"), TestGateway.freePort(), b.port()), modules());
        open.add(g);
        for (int i = 0; i < 30; i++) {
            assertThat(get(g, "/f" + i).code()).isEqualTo(200);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        long total;
        do {
            Thread.sleep(50);
            try (Stream<Path> s = Files.walk(tmp.resolve("small"))) {
                total = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        } while (total > 512 * 1024 && System.nanoTime() < deadline);
        assertThat(total).isLessThanOrEqualTo(512 * 1024);
    }

    List<Path> files() throws Exception {
        try (Stream<Path> s = Files.walk(tmp.resolve("cache"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void configurationErrors() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        // nginx's texts (checked with nginx 1.22's -t): mkdir() of the last component only, errno as nginx prints it
        assertThat(pathError(file.resolve("sub")))
                .isEqualTo("mkdir() \"" + file.resolve("sub") + "\" failed (20: Not a directory)");
        assertThat(pathError(tmp.resolve("none/a/b")))
                .isEqualTo("mkdir() \"" + tmp.resolve("none/a/b") + "\" failed (2: No such file or directory)");
        assertThat(pathError(file)).isEqualTo("cache path \"" + file + "\" is not writable (20: Not a directory)");
        String ok = tmp.resolve("c").toString();
        assertThat(error("proxy_cache_path " + ok + ";", "")).contains("must have \"keys_zone\" parameter");
        assertThat(error("proxy_cache_path " + ok + " keys_zone=a:1m levels=3;", "")).contains("invalid \"levels\"");
        assertThat(error("proxy_cache_path " + ok + " keys_zone=a:1m; proxy_cache_path " + ok + " keys_zone=a:1m;",
                "")).contains("duplicate zone \"a\"");
        assertThat(error("", "location / { proxy_cache nope; }")).contains("\"proxy_cache\" zone \"nope\" is unknown");
        assertThat(error("", "location / { proxy_cache_use_stale error sometimes; }"))
                .contains("invalid value \"sometimes\"");
        assertThat(error("", "location / { proxy_cache_valid 200 soon; }")).contains("invalid time value");
        assertThat(error("", "location / { proxy_cache_lock maybe; }")).contains("it must be \"on\" or \"off\"");
        assertThat(error("proxy_cache_path " + ok + " keys_zone=a:1m;",
                "location / { proxy_cache a; proxy_cache a; }")).contains("\"proxy_cache\" directive is duplicate");
    }

    /** The start-up error of a {@code proxy_cache_path} at {@code dir}, without its {@code in <file>:4}. */
    String pathError(Path dir) throws Exception {
        ConfException e = TestGateway.configError(conf(dir.toString(), "", 1), modules());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).endsWith("nginx.conf:4");
        return e.getMessage().substring(0, e.getMessage().lastIndexOf(" in "));
    }

    String error(String http, String server) throws Exception {
        ConfException e = TestGateway.configError("""
                events { }
                http {
                %s
                    server { listen 127.0.0.1:%d;
                %s
                    }
                }
                """.formatted(http, TestGateway.freePort(), server), modules());
        assertThat(e).as(http + server).isNotNull();
        assertThat(e.getMessage()).contains("nginx.conf:");
        return e.getMessage();
    }
}
