package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.metrics.MetricsModule;
import io.jwtgate.metrics.TextExposition;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream and cache zone metrics after a known sequence of requests through real sockets (a 200, a refused
 * connection, a read timeout against a backend that never answers, a 503 passed on to a second server, a proxy_pass
 * with variables, a cache MISS, HIT and EXPIRED), read from the {@code metrics} location and parsed back strictly.
 */
class UpstreamMetricsTest {

    /** A clock the test moves, for the cache's validity. */
    static final class Clock implements InstantSource {
        volatile long millis = 1_700_000_000_000L;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @TempDir
    Path tmp;

    @Test
    void countsTriesFailuresTimesPeersConnectionsAndCacheAnswers() throws Exception {
        Clock clock = new Clock();
        int refused = TestGateway.freePort();
        try (TestBackend ok = TestBackend.start().reply(Reply.status(200, "ok"));
                TestBackend other = TestBackend.start().reply(Reply.status(200, "other"));
                TestBackend failing = TestBackend.start().reply(Reply.status(503, "down"));
                TestBackend silent = TestBackend.start().reply(Reply.never());
                TestGateway gw = TestGateway.start(Gateways.conf("""
                        upstream good { server %s; keepalive 4; }
                        upstream pair { server %s; server %s; }
                        proxy_cache_path %s keys_zone=z:1m;
                        """.formatted(ok.hostPort(), failing.hostPort(), other.hostPort(), tmp.resolve("c")), """
                        location /ok { proxy_pass http://good; proxy_http_version 1.1;
                            proxy_set_header Connection ""; }
                        location /refused { proxy_pass http://127.0.0.1:%d; }
                        location /slow { proxy_read_timeout 300ms; proxy_pass http://%s; }
                        location /next { proxy_next_upstream error http_503; proxy_pass http://pair; }
                        location /var { set $b %s; proxy_pass http://$b; }
                        location /c { proxy_pass http://good; proxy_http_version 1.1; proxy_set_header Connection "";
                            proxy_cache z; proxy_cache_valid 200 1m; }
                        location /metrics { metrics; }
                        """.formatted(refused, silent.hostPort(), other.hostPort())), modules(clock))) {
            assertThat(get(gw, "/ok").code()).isEqualTo(200);
            assertThat(get(gw, "/refused").code()).isEqualTo(502);
            assertThat(get(gw, "/slow").code()).isEqualTo(504);
            assertThat(get(gw, "/next").bodyString()).isEqualTo("other");
            assertThat(get(gw, "/var").bodyString()).isEqualTo("other");
            assertThat(get(gw, "/c").code()).isEqualTo(200);
            assertThat(get(gw, "/c").code()).isEqualTo(200);
            clock.millis += Duration.ofMinutes(2).toMillis();
            assertThat(get(gw, "/c").code()).isEqualTo(200);

            TextExposition e = TextExposition.parse(get(gw, "/metrics").bodyString(), false);
            String req = "jwtgate_upstream_requests_total";
            String resp = "jwtgate_upstream_responses_total";
            String fail = "jwtgate_upstream_failures_total";
            String good = ok.hostPort();
            // /ok, then the cache's MISS and EXPIRED went upstream; the HIT did not
            assertThat(e.value(req, "upstream", "good", "peer", good)).isEqualTo(3);
            assertThat(e.value(resp, "upstream", "good", "peer", good, "status", "2xx")).isEqualTo(3);
            assertThat(e.value(resp, "upstream", "good", "peer", good, "status", "5xx")).isZero();
            String closed = "127.0.0.1:" + refused;
            assertThat(e.value(req, "upstream", closed, "peer", closed)).isEqualTo(1);
            assertThat(e.value(fail, "upstream", closed, "peer", closed, "kind", "connect")).isEqualTo(1);
            assertThat(e.value(fail, "upstream", closed, "peer", closed, "kind", "timeout")).isZero();
            String slow = silent.hostPort();
            assertThat(e.value(fail, "upstream", slow, "peer", slow, "kind", "timeout")).isEqualTo(1);
            assertThat(e.value(resp, "upstream", slow, "peer", slow, "status", "5xx")).isZero();
            String h = "jwtgate_upstream_response_duration_seconds";
            assertThat(e.value(h + "_count", "upstream", slow, "peer", slow)).isEqualTo(1);
            assertThat(e.value(h + "_sum", "upstream", slow, "peer", slow)).isBetween(0.29, 5.0);
            assertThat(e.value(h + "_bucket", "upstream", slow, "peer", slow, "le", "0.25")).isZero();
            assertThat(e.value(h + "_count", "upstream", "good", "peer", good)).isEqualTo(3);
            String a = failing.hostPort();
            String b = other.hostPort();
            assertThat(e.value(req, "upstream", "pair", "peer", a)).isEqualTo(1);
            assertThat(e.value(resp, "upstream", "pair", "peer", a, "status", "5xx")).isEqualTo(1);
            assertThat(e.value(fail, "upstream", "pair", "peer", a, "kind", "http_5xx")).isEqualTo(1);
            assertThat(e.value(req, "upstream", "pair", "peer", b)).isEqualTo(1);
            assertThat(e.value(resp, "upstream", "pair", "peer", b, "status", "2xx")).isEqualTo(1);
            assertThat(e.value(fail, "upstream", "pair", "peer", b, "kind", "http_5xx")).isZero();
            // max_fails=1: the 503 took the first server out for fail_timeout
            String peers = "jwtgate_upstream_peers";
            assertThat(e.value(peers, "upstream", "pair", "peer", a, "state", "down")).isEqualTo(1);
            assertThat(e.value(peers, "upstream", "pair", "peer", a, "state", "up")).isZero();
            assertThat(e.value(peers, "upstream", "pair", "peer", b, "state", "up")).isEqualTo(1);
            assertThat(e.value(peers, "upstream", "good", "peer", good, "state", "up")).isEqualTo(1);
            assertThat(e.value(req, "upstream", "*", "peer", "*")).isEqualTo(1);
            assertThat(e.value(resp, "upstream", "*", "peer", "*", "status", "2xx")).isEqualTo(1);
            String conns = "jwtgate_upstream_connections";
            assertThat(e.value(conns, "upstream", "good", "state", "idle")).isEqualTo(1);
            assertThat(e.value(conns, "upstream", "good", "state", "active")).isZero();
            assertThat(e.value(conns, "upstream", "pair", "state", "idle")).isZero();

            String cache = "jwtgate_cache_requests_total";
            assertThat(e.value(cache, "zone", "z", "result", "MISS")).isEqualTo(1);
            assertThat(e.value(cache, "zone", "z", "result", "HIT")).isEqualTo(1);
            assertThat(e.value(cache, "zone", "z", "result", "EXPIRED")).isEqualTo(1);
            assertThat(e.value(cache, "zone", "z", "result", "STALE")).isZero();
            assertThat(e.value(cache, "zone", "z", "result", "BYPASS")).isZero();
            assertThat(e.value("jwtgate_cache_entries", "zone", "z")).isEqualTo(1);
            assertThat(e.value("jwtgate_cache_bytes", "zone", "z")).isPositive();
        }
    }

    @Test
    void countsBrokenConnectionsInvalidHeadersAndNoLiveUpstreams() throws Exception {
        try (TestBackend closing = TestBackend.start().reply(Reply.close());
                TestBackend garbage = TestBackend.start().reply(Reply.garbage());
                TestGateway gw = TestGateway.start(Gateways.conf("""
                        upstream bad { server %s; server %s; }
                        """.formatted(closing.hostPort(), garbage.hostPort()), """
                        location / { proxy_next_upstream error invalid_header; proxy_pass http://bad; }
                        location /metrics { metrics; }
                        """), modules(new Clock()))) {
            assertThat(get(gw, "/a").code()).isEqualTo(502); // closed without an answer, then garbage
            assertThat(get(gw, "/b").code()).isEqualTo(502); // both taken out for fail_timeout: no live upstreams

            TextExposition e = TextExposition.parse(RawHttpClient.get(gw.port(), "/metrics",
                    "Accept: application/openmetrics-text; version=1.0.0").bodyString(), true);
            String fail = "jwtgate_upstream_failures_total";
            String c = closing.hostPort();
            String g = garbage.hostPort();
            assertThat(e.value(fail, "upstream", "bad", "peer", c, "kind", "error")).isEqualTo(1);
            assertThat(e.value(fail, "upstream", "bad", "peer", c, "kind", "connect")).isZero();
            assertThat(e.value(fail, "upstream", "bad", "peer", g, "kind", "invalid_header")).isEqualTo(1);
            assertThat(e.value(fail, "upstream", "bad", "peer", "", "kind", "no_live_upstreams")).isEqualTo(1);
            assertThat(e.value("jwtgate_upstream_requests_total", "upstream", "bad", "peer", c)).isEqualTo(1);
            assertThat(e.value("jwtgate_upstream_requests_total", "upstream", "bad", "peer", g)).isEqualTo(1);
            assertThat(e.value("jwtgate_upstream_responses_total", "upstream", "bad", "peer", g, "status", "2xx"))
                    .isZero();
            for (String peer : new String[] {c, g}) {
                assertThat(e.value("jwtgate_upstream_peers", "upstream", "bad", "peer", peer, "state", "down"))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void countsAnExpiredEntryServedStaleOnceAsStale() throws Exception {
        Clock clock = new Clock();
        try (TestBackend backend = TestBackend.start().reply(Reply.status(200, "fresh"));
                TestGateway gw = TestGateway.start(Gateways.conf("proxy_cache_path %s keys_zone=s:1m;"
                        .formatted(tmp.resolve("s")), """
                        location / { proxy_pass http://%s; proxy_cache s; proxy_cache_valid 200 1m;
                            proxy_cache_use_stale http_500; proxy_cache_bypass $arg_nocache; }
                        location /metrics { metrics; }
                        """.formatted(backend.hostPort())), modules(clock))) {
            assertThat(get(gw, "/x").bodyString()).isEqualTo("fresh");
            clock.millis += Duration.ofMinutes(2).toMillis();
            backend.reply(Reply.status(500, "broken"));
            assertThat(get(gw, "/x").bodyString()).isEqualTo("fresh"); // expired, the upstream failed: stale
            assertThat(get(gw, "/x?nocache=1").code()).isEqualTo(500);

            TextExposition e = TextExposition.parse(get(gw, "/metrics").bodyString(), false);
            String cache = "jwtgate_cache_requests_total";
            assertThat(e.value(cache, "zone", "s", "result", "MISS")).isEqualTo(1);
            assertThat(e.value(cache, "zone", "s", "result", "STALE")).isEqualTo(1);
            assertThat(e.value(cache, "zone", "s", "result", "EXPIRED")).isZero();
            assertThat(e.value(cache, "zone", "s", "result", "BYPASS")).isEqualTo(1);
            assertThat(e.value(cache, "zone", "s", "result", "HIT")).isZero();
        }
    }

    private static RawResponse get(TestGateway gw, String path) {
        return RawHttpClient.get(gw.port(), path);
    }

    private static Supplier<List<HttpModule>> modules(Clock clock) {
        return () -> {
            List<HttpModule> all = new ArrayList<>(CoreModules.create());
            all.addAll(ProxyModules.create(clock));
            all.add(new MetricsModule());
            return all;
        };
    }
}
