package io.jwtgate.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.proxy.cache.CacheDirectivesDifferentialTest.Ask;
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
 * nginx's not-modified filter over proxied responses against stock nginx: a cacheable response (a hit, and a miss
 * being stored) answers {@code If-None-Match}, {@code If-Modified-Since} (as {@code if_modified_since} says) with 304
 * and a failed {@code If-Match} or {@code If-Unmodified-Since} with 412; a response that is not cacheable passes as
 * the upstream sent it. Nginx's range filter answers a {@code Range} from the cache when the upstream sent
 * {@code Accept-Ranges}. The upstream numbers its answers per location, so a body tells which answer was kept.
 */
class ConditionsDifferentialTest {

    static final String LAST_MODIFIED = "Mon, 07 Dec 2026 10:00:00 GMT";

    static final Map<Integer, TestBackend> upstreams = new ConcurrentHashMap<>();
    static SideBySide pair;
    static ExecutorService pool;

    static TestBackend upstream() {
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        return TestBackend.start(request -> {
            String uri = request.uri();
            int n = counts.computeIfAbsent(uri, p -> new AtomicInteger()).incrementAndGet();
            Reply r = Reply.status(200, uri + " #" + n + " inm=" + request.header("If-None-Match") + "\n")
                    .header("Last-Modified", LAST_MODIFIED).header("ETag", "\"v1\"")
                    .header("Content-Type", "text/plain").header("X-Upstream", "kept");
            if (uri.contains("/ar/")) {
                r = r.header("Accept-Ranges", "bytes");
            }
            if (uri.startsWith("/cookie/")) {
                r = r.header("Set-Cookie", "a=b");
            }
            if (uri.startsWith("/private/")) {
                r = r.header("Cache-Control", "private");
            }
            return r;
        });
    }

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("not-modified");
        pool = Executors.newFixedThreadPool(2);
        pair = SideBySide.start(port -> {
            TestBackend u = upstream();
            upstreams.put(port, u);
            return """
                    proxy_cache_path %1$s/c%2$d keys_zone=z%2$d:1m;
                    server {
                        listen 127.0.0.1:%2$d;
                        proxy_cache z%2$d;
                        proxy_cache_valid 200 1m;
                        add_header X-Cache $upstream_cache_status;
                        location / { proxy_pass http://%3$s; }
                        location /before/ { if_modified_since before; proxy_pass http://%3$s; }
                        location /imsoff/ { if_modified_since off; proxy_pass http://%3$s; }
                        location /uncached/ { proxy_cache off; proxy_pass http://%3$s; }
                        location /novalid/ { proxy_cache_valid 404 1m; proxy_pass http://%3$s; }
                        location /nostore/ { proxy_no_cache 1; proxy_pass http://%3$s; }
                        location /min/ { proxy_cache_min_uses 2; proxy_pass http://%3$s; }
                        location /one/ { max_ranges 1; proxy_pass http://%3$s; }
                        location /quiet/ { add_header X-Quiet ""; proxy_pass http://%3$s; }
                    }
                    """.formatted(dir, port, u.hostPort());
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
        for (TestBackend u : upstreams.values()) {
            u.close();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** The same requests to nginx and jwtgate at once; asserts the answers equal and returns nginx's statuses. */
    static List<String> same(Ask... asks) throws Exception {
        Future<List<String>> nginx = pool.submit(() -> CacheDirectivesDifferentialTest.run(pair.nginxPort(), asks));
        Future<List<String>> gateway = pool.submit(() -> CacheDirectivesDifferentialTest.run(pair.gatewayPort(),
                asks));
        List<String> expected = unbound(nginx.get());
        assertThat(unbound(gateway.get())).isEqualTo(expected);
        List<String> statuses = new ArrayList<>();
        for (String s : expected) {
            int at = s.indexOf("HTTP/1.1 ");
            statuses.add(s.substring(at + 9, at + 12));
        }
        return statuses;
    }

    /** Multipart boundaries are a process-wide counter, different on each side. */
    static List<String> unbound(List<String> answers) {
        return answers.stream().map(a -> a.replaceAll("\\d{20}", "<boundary>")).toList();
    }

    static final String MATCH = "If-None-Match: \"v1\"";
    static final String EXACT = "If-Modified-Since: " + LAST_MODIFIED;
    static final String LATER = "If-Modified-Since: Tue, 08 Dec 2026 10:00:00 GMT";

    @Test
    void aMissBeingStoredAndAHitAnswer304() throws Exception {
        assertThat(same(Ask.get("/a/1", MATCH), Ask.get("/a/1"), Ask.get("/a/1", MATCH), Ask.get("/a/1", EXACT),
                Ask.get("/a/1", LATER), Ask.get("/a/1", "If-None-Match: \"v2\", W/\"v1\""),
                Ask.get("/a/1", "If-None-Match: \"v2\""), Ask.get("/a/1", "If-None-Match: *"),
                new Ask("HEAD", "/a/1", null, MATCH), Ask.get("/a/1", MATCH, "Range: bytes=0-2")))
                .containsExactly("304", "200", "304", "304", "200", "304", "200", "304", "304", "304");
    }

    @Test
    void failedPreconditionsAnswer412AndAMissIsThenNotStored() throws Exception {
        assertThat(same(Ask.get("/b/1", "If-Match: \"v2\""), Ask.get("/b/1"), Ask.get("/b/1", "If-Match: \"v1\""),
                Ask.get("/b/1", "If-Match: \"v2\""), Ask.get("/b/1", "If-Unmodified-Since: " + LAST_MODIFIED),
                Ask.get("/b/1", "If-Unmodified-Since: Sun, 06 Dec 2026 10:00:00 GMT"),
                Ask.get("/b/1", "If-Unmodified-Since: junk")))
                .containsExactly("412", "200", "200", "412", "200", "412", "412");
    }

    @Test
    void ifModifiedSinceDirectiveApplies() throws Exception {
        assertThat(same(Ask.get("/before/1", LATER), Ask.get("/before/1", LATER), Ask.get("/imsoff/1", EXACT),
                Ask.get("/imsoff/1", EXACT), Ask.get("/imsoff/1", MATCH)))
                .containsExactly("304", "304", "200", "200", "304");
    }

    @Test
    void aResponseThatIsNotCacheableWhenItsHeadGoesOutPassesAsItCame() throws Exception {
        assertThat(same(Ask.get("/uncached/1", MATCH), Ask.get("/cookie/1", MATCH), Ask.get("/private/1", MATCH),
                Ask.get("/min/1", MATCH), Ask.get("/min/1", MATCH), Ask.get("/min/1", MATCH)))
                .containsExactly("200", "200", "200", "200", "304", "304");
    }

    @Test
    void aResponseKeptOutOnlyAfterItsHeadWentOutStillAnswers304() throws Exception {
        assertThat(same(Ask.get("/novalid/1", MATCH), Ask.get("/novalid/1"), Ask.get("/nostore/1", MATCH),
                Ask.get("/nostore/1")))
                .containsExactly("304", "200", "304", "200");
    }

    @Test
    void aCachedResponseWhoseUpstreamAllowedRangesIsAnsweredInRanges() throws Exception {
        assertThat(same(Ask.get("/ar/1"), Ask.get("/ar/1"), Ask.get("/ar/1", "Range: bytes=0-3"),
                Ask.get("/ar/1", "Range: bytes=-4"), Ask.get("/ar/1", "Range: bytes=0-1,4-5"),
                Ask.get("/quiet/ar/1"), Ask.get("/quiet/ar/1", "Range: bytes=100-200"),
                Ask.get("/ar/1", "Range: bytes=0-3", "If-Range: \"v1\""),
                Ask.get("/ar/1", "Range: bytes=0-3", "If-Range: \"v2\""),
                Ask.get("/ar/1", "Range: bytes=0-3", "If-Range: " + LAST_MODIFIED),
                new Ask("HEAD", "/ar/1", null, "Range: bytes=2-3"), Ask.get("/ar/1", "Range: items=0-3"),
                Ask.get("/ar/1", MATCH, "Range: bytes=0-3")))
                .containsExactly("200", "200", "206", "206", "206", "200", "416", "206", "200", "206", "206", "200",
                        "304");
    }

    @Test
    void aMissBeingStoredIsCutToOneRangeAsItStreams() throws Exception {
        assertThat(same(Ask.get("/m/ar/1", "Range: bytes=2-5"), Ask.get("/m/ar/1", "Range: bytes=0-1,4-5"),
                Ask.get("/m/ar/2", "Range: bytes=0-1,4-5"), Ask.get("/m/ar/2", "Range: bytes=0-1,4-5"),
                Ask.get("/quiet/ar/2", "Range: bytes=500-"), Ask.get("/quiet/ar/2"),
                Ask.get("/m/ar/3", "Range: bytes=-3", MATCH), Ask.get("/m/ar/3", "Range: bytes=-3")))
                .containsExactly("206", "206", "200", "206", "416", "200", "304", "206");
    }

    @Test
    void withoutAcceptRangesOrBeyondMaxRangesTheWholeResponseGoes() throws Exception {
        assertThat(same(Ask.get("/plain/1"), Ask.get("/plain/1", "Range: bytes=0-3"), Ask.get("/one/ar/1"),
                Ask.get("/one/ar/1", "Range: bytes=0-1,4-5"), Ask.get("/one/ar/1", "Range: bytes=0-1")))
                .containsExactly("200", "200", "200", "200", "206");
    }
}
