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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy_no_cache}, {@code proxy_cache_methods}, {@code proxy_cache_convert_head}, {@code proxy_cache_min_uses},
 * {@code proxy_cache_revalidate} and {@code proxy_cache_max_range_offset} against stock nginx: the same sequence of
 * requests, each server in front of its own upstream, gives the same responses. The upstream numbers its answers
 * per location and writes into the body the method and the conditional and {@code Range} headers it received, so a
 * body tells which answer the cache kept and what the cache asked for.
 */
class CacheDirectivesDifferentialTest {

    /** The upstream of one server. */
    static final class Upstream {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final TestBackend backend = TestBackend.start(request -> {
            String uri = request.uri();
            String prefix = uri.substring(1, uri.indexOf('/', 1));
            int n = counts.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
            String inm = request.header("If-None-Match");
            String ims = request.header("If-Modified-Since");
            String etag = prefix.equals("reval-new") ? "\"v" + n + "\"" : "\"v1\"";
            String lastModified = "Mon, 07 Dec 2026 10:00:00 GMT";
            boolean lmOnly = prefix.equals("reval-lm");
            if (prefix.contains("reval") && (etag.equals(inm) && !lmOnly || lmOnly && lastModified.equals(ims))) {
                return Reply.status(304, "").header("X-Answer", String.valueOf(n));
            }
            Reply r = Reply.status(200, request.method() + " " + uri + " #" + n + " inm=" + inm + " ims=" + ims
                    + " range=" + request.header("Range") + "\n").header("Last-Modified", lastModified);
            if (!lmOnly) {
                r = r.header("ETag", etag);
            }
            if (uri.contains("/yes")) {
                r = r.header("X-No-Cache", "1");
            }
            if (prefix.equals("sie") && n > 1) {
                return Reply.close(); // the upstream fails: stale-if-error lets the expired entry answer
            }
            String cacheControl = switch (prefix) {
                case "swr" -> "max-age=1, stale-while-revalidate=60";
                case "swr-bad" -> "max-age=60, stale-while-revalidate=x";
                case "sie" -> "max-age=1, stale-if-error=60";
                default -> null;
            };
            return cacheControl == null ? r : r.header("Cache-Control", cacheControl);
        });
    }

    static final Map<Integer, Upstream> upstreams = new ConcurrentHashMap<>();
    static SideBySide pair;
    static ExecutorService pool;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("cache-directives");
        pool = Executors.newFixedThreadPool(2);
        pair = SideBySide.start(port -> {
            Upstream u = new Upstream();
            upstreams.put(port, u);
            return """
                    proxy_cache_path %1$s/c%2$d keys_zone=z%2$d:1m;
                    server {
                        listen 127.0.0.1:%2$d;
                        proxy_cache z%2$d;
                        proxy_cache_valid 200 1m;
                        add_header X-Cache $upstream_cache_status;
                        location /head/ { proxy_pass http://%3$s; }
                        location /nohead/ {
                            proxy_cache_convert_head off;
                            proxy_cache_key $request_method$scheme$proxy_host$request_uri;
                            proxy_pass http://%3$s;
                        }
                        location /nohead-key/ { proxy_cache_convert_head off; proxy_pass http://%3$s; }
                        location /post/ { proxy_cache_methods POST; proxy_pass http://%3$s; }
                        location /get/ { proxy_cache_methods get; proxy_pass http://%3$s; }
                        location /post-key/ {
                            proxy_cache_methods POST;
                            proxy_cache_key "$request_uri|$request_body";
                            proxy_pass http://%3$s;
                        }
                        location /min/ { proxy_cache_min_uses 3; proxy_pass http://%3$s; }
                        location /reval {
                            proxy_cache_valid 200 1s;
                            proxy_cache_revalidate on;
                            proxy_pass http://%3$s;
                        }
                        location /noreval/ { proxy_cache_valid 200 1s; proxy_pass http://%3$s; }
                        location /nocache/ { proxy_no_cache $upstream_http_x_no_cache; proxy_pass http://%3$s; }
                        location /unbuffered/ { proxy_buffering off; proxy_pass http://%3$s; }
                        location /both/ {
                            proxy_cache_bypass $http_x_bypass;
                            proxy_no_cache $http_x_bypass;
                            proxy_pass http://%3$s;
                        }
                        location /range/ { proxy_cache_max_range_offset 10; proxy_pass http://%3$s; }
                        location /bg {
                            proxy_cache_valid 200 1s;
                            proxy_cache_use_stale updating;
                            proxy_cache_background_update on;
                            proxy_pass http://%3$s;
                        }
                        location /swr { proxy_cache_background_update on; proxy_pass http://%3$s; }
                        location /sie/ { proxy_pass http://%3$s; }
                        location /bgn/ {
                            proxy_cache_valid 200 1s;
                            proxy_cache_background_update on;
                            proxy_pass http://%3$s;
                        }
                        location /bg-reval/ {
                            proxy_cache_valid 200 1s;
                            proxy_cache_use_stale updating;
                            proxy_cache_background_update on;
                            proxy_cache_revalidate on;
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
        for (Upstream u : upstreams.values()) {
            u.backend.close();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** One request: method, path, extra header lines, and a body (or null). */
    record Ask(String method, String path, String body, String... headers) {
        static Ask get(String path, String... headers) {
            return new Ask("GET", path, null, headers);
        }

        static Ask head(String path) {
            return new Ask("HEAD", path, null);
        }

        static Ask pause() {
            return new Ask("PAUSE", "", null); // nginx counts validity in whole seconds: 2.1 s expire 1 s for sure
        }

        static Ask settle() {
            return new Ask("SETTLE", "", null); // a refresh in the background has ended
        }
    }

    /** Runs the requests in order against one server; returns each masked response. */
    static List<String> run(int port, Ask... asks) throws Exception {
        List<String> seen = new ArrayList<>();
        for (Ask a : asks) {
            if (!a.path().startsWith("/")) {
                Thread.sleep(a.method().equals("PAUSE") ? 2100 : 500);
                continue;
            }
            StringBuilder raw = new StringBuilder(a.method() + " " + a.path() + " HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n");
            for (String h : a.headers()) {
                raw.append(h).append("\r\n");
            }
            if (a.body() != null) {
                raw.append("Content-Length: ").append(a.body().length()).append("\r\n\r\n").append(a.body());
            } else {
                raw.append("\r\n");
            }
            try (RawHttpClient c = RawHttpClient.connect(port)) {
                RawResponse r = c.send(raw.toString()).readResponse(a.method().equals("HEAD"));
                seen.add(a.method() + " " + a.path() + " -> " + SideBySide.masked(r));
            }
        }
        return seen;
    }

    /** The same requests to nginx and jwtgate at once; asserts the answers equal and returns nginx's statuses. */
    static List<String> same(Ask... asks) throws Exception {
        Future<List<String>> nginx = pool.submit(() -> run(pair.nginxPort(), asks));
        Future<List<String>> gateway = pool.submit(() -> run(pair.gatewayPort(), asks));
        List<String> expected = nginx.get();
        assertThat(gateway.get()).isEqualTo(expected);
        List<String> statuses = new ArrayList<>();
        for (String s : expected) {
            int at = s.indexOf("X-Cache: ");
            statuses.add(at < 0 ? "-" : s.substring(at + 9, s.indexOf('\r', at)));
        }
        return statuses;
    }

    @Test
    void aHeadIsSentUpstreamAsGetAndFillsTheCacheForGets() throws Exception {
        assertThat(same(Ask.head("/head/a"), Ask.get("/head/a"), Ask.head("/head/a")))
                .containsExactly("MISS", "HIT", "HIT");
    }

    @Test
    void withoutConvertHeadAHeadIsSentAsHeadAndItsAnswerCachedUnderItsOwnKey() throws Exception {
        assertThat(same(Ask.head("/nohead/a"), Ask.head("/nohead/a"), Ask.get("/nohead/a"), Ask.get("/nohead/a"),
                Ask.head("/nohead-key/a"), Ask.head("/nohead-key/a")))
                .containsExactly("MISS", "HIT", "MISS", "HIT", "MISS", "HIT");
    }

    @Test
    void postIsCachedOnlyWhenProxyCacheMethodsNamesIt() throws Exception {
        assertThat(same(new Ask("POST", "/post/a", "x"), new Ask("POST", "/post/a", "y"), Ask.get("/post/a"),
                new Ask("POST", "/get/a", "x"), new Ask("POST", "/get/a", "x"), new Ask("PUT", "/post/b", "x")))
                .containsExactly("MISS", "HIT", "HIT", "-", "-", "-");
    }

    @Test
    void theBodyIsReadBeforeTheKeySoThatTheKeyMayUseIt() throws Exception {
        assertThat(same(new Ask("POST", "/post-key/a", "x"), new Ask("POST", "/post-key/a", "y"),
                new Ask("POST", "/post-key/a", "x"), new Ask("POST", "/post-key/a", "y")))
                .containsExactly("MISS", "MISS", "HIT", "HIT");
    }

    @Test
    void minUsesStoresTheNthAnswerAndPassesConditionsUntilThen() throws Exception {
        String[] conditional = {"If-None-Match: \"zz\"", "Range: bytes=0-3", "If-Modified-Since: Thu, 01 Jan 1970"
                + " 00:00:01 GMT"};
        assertThat(same(Ask.get("/min/a", conditional), Ask.get("/min/a", conditional),
                Ask.get("/min/a", conditional), Ask.get("/min/a", conditional)))
                .containsExactly("MISS", "MISS", "MISS", "HIT");
    }

    @Test
    void revalidateSendsTheValidatorsAndA304RefreshesTheEntry() throws Exception {
        assertThat(same(Ask.get("/reval/a"), Ask.get("/reval-new/a"), Ask.get("/reval-lm/a"), Ask.get("/noreval/a"),
                Ask.pause(),
                Ask.get("/reval/a"), Ask.get("/reval/a"), Ask.get("/reval-new/a"), Ask.get("/reval-lm/a"),
                Ask.get("/noreval/a")))
                .containsExactly("MISS", "MISS", "MISS", "MISS",
                        "REVALIDATED", "HIT", "EXPIRED", "REVALIDATED", "EXPIRED");
    }

    @Test
    void noCacheOrNoBufferingKeepsTheAnswerOutAndNoCacheCombinesWithBypass() throws Exception {
        assertThat(same(Ask.get("/nocache/yes"), Ask.get("/nocache/yes"), Ask.get("/nocache/no"),
                Ask.get("/nocache/no"), Ask.get("/both/a"), Ask.get("/both/a", "X-Bypass: 1"), Ask.get("/both/a"),
                Ask.get("/both/a", "X-Bypass: 0"), Ask.get("/nocache/b", "If-None-Match: \"zz\""),
                Ask.get("/unbuffered/a"), Ask.get("/unbuffered/a")))
                .containsExactly("MISS", "MISS", "MISS", "HIT", "MISS", "BYPASS", "HIT", "HIT", "MISS", "MISS", "MISS");
    }

    @Test
    void backgroundUpdateRefreshesBehindTheExpiredEntryForHeadsTooAndNeedsUpdating() throws Exception {
        assertThat(same(Ask.get("/bg/a"), Ask.get("/bg-reval/a"), Ask.get("/bgn/a"), Ask.pause(),
                Ask.head("/bg/a"), Ask.get("/bg-reval/a"), Ask.get("/bgn/a"), Ask.settle(),
                Ask.get("/bg/a"), Ask.get("/bg-reval/a"), Ask.get("/bgn/a")))
                .containsExactly("MISS", "MISS", "MISS", "STALE", "STALE", "EXPIRED", "HIT", "HIT", "HIT");
    }

    @Test
    void staleWhileRevalidateAndStaleIfErrorStandInForProxyCacheUseStale() throws Exception {
        assertThat(same(Ask.get("/swr/a"), Ask.get("/sie/a"), Ask.get("/swr-bad/a"), Ask.pause(),
                Ask.get("/swr/a"), Ask.get("/sie/a"), Ask.get("/swr-bad/a"), Ask.settle(), Ask.get("/swr/a")))
                .containsExactly("MISS", "MISS", "MISS", "STALE", "STALE", "MISS", "HIT");
    }

    @Test
    void aRangeFromBeyondTheMaxOffsetIsPassedUpstreamAndNotStored() throws Exception {
        assertThat(same(Ask.get("/range/a", "Range: bytes=20-30"), Ask.get("/range/a", "Range: bytes=-5"),
                Ask.get("/range/a", "Range: bytes=2-30"), Ask.get("/range/a", "Range: bytes=0-5")))
                .containsExactly("MISS", "MISS", "MISS", "HIT");
    }
}
