package io.jwtgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.access.AccessModule;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code metrics} over real sockets: the request counts after a known sequence, the exposition read back strictly in
 * both formats, the JVM and process metrics, and the location protected like any other.
 */
class MetricsModuleTest {

    static final Supplier<List<HttpModule>> MODULES = () -> {
        List<HttpModule> m = new ArrayList<>(CoreModules.create());
        m.add(new AccessModule());
        m.add(new MetricsModule());
        return m;
    };

    static final String CONF = """
            http {
                server {
                    listen 127.0.0.1:%d;
                    server_name test.example other.example;
                    location / { return 200 "ok\\n"; }
                    location /gone { return 404; }
                    location /metrics { metrics; }
                    location /private { deny all; metrics; }
                }
            }
            """;

    static String scrape(int port, String... headers) {
        RawResponse r = RawHttpClient.get(port, "/metrics", headers);
        assertThat(r.code()).isEqualTo(200);
        return r.bodyString();
    }

    @Test
    void countsRequestsByServerAndStatus() throws Exception {
        try (TestGateway gw = TestGateway.start(CONF.formatted(TestGateway.freePort()), MODULES)) {
            for (int i = 0; i < 3; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/").code()).isEqualTo(200);
            }
            assertThat(RawHttpClient.get(gw.port(), "/gone").code()).isEqualTo(404);
            assertThat(RawHttpClient.get(gw.port(), "/gone/x").code()).isEqualTo(404);
            assertThat(RawHttpClient.get(gw.port(), "/private").code()).isEqualTo(403);

            RawResponse r = RawHttpClient.get(gw.port(), "/metrics");
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            TextExposition e = TextExposition.parse(r.bodyString(), false);
            assertThat(e.value("jwtgate_http_requests_total", "server", "test.example", "code", "200")).isEqualTo(3);
            assertThat(e.value("jwtgate_http_requests_total", "server", "test.example", "code", "404")).isEqualTo(2);
            assertThat(e.value("jwtgate_http_requests_total", "server", "test.example", "code", "403")).isEqualTo(1);
            assertThat(e.value("jwtgate_http_request_duration_seconds_count", "server", "test.example"))
                    .isEqualTo(6);
            assertThat(e.types()).containsEntry("jwtgate_http_request_duration_seconds", "histogram")
                    .containsEntry("jwtgate_connections", "gauge");
            // the scrape itself is the one request running; six connections were accepted before it
            assertThat(e.value("jwtgate_connections", "state", "writing")).isEqualTo(1);
            assertThat(e.value("jwtgate_connections_accepted_total")).isEqualTo(7);
            assertThat(e.value("jwtgate_connections_handled_total")).isEqualTo(7);
            // the JVM and the process, from the Prometheus client's collectors
            assertThat(e.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
            assertThat(e.value("jvm_threads_current")).isPositive();
            assertThat(e.value("process_start_time_seconds")).isPositive();
            assertThat(e.value("process_open_fds")).isPositive();
            assertThat(e.types()).containsKey("jvm_gc_collection_seconds");

            // the scrape was counted once it was logged
            TextExposition again = TextExposition.parse(scrape(gw.port()), false);
            assertThat(again.value("jwtgate_http_requests_total", "server", "test.example", "code", "200"))
                    .isEqualTo(4);
        }
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        try (TestGateway gw = TestGateway.start(CONF.formatted(TestGateway.freePort()), MODULES)) {
            assertThat(RawHttpClient.get(gw.port(), "/").code()).isEqualTo(200);
            RawResponse r = RawHttpClient.get(gw.port(), "/metrics",
                    "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
            assertThat(r.header("Content-Type"))
                    .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
            TextExposition e = TextExposition.parse(r.bodyString(), true);
            assertThat(e.types()).containsEntry("jwtgate_http_requests", "counter");
            assertThat(e.value("jwtgate_http_requests_total", "server", "test.example", "code", "200")).isEqualTo(1);
        }
    }

    @Test
    void onlyGetAndHead() throws Exception {
        try (TestGateway gw = TestGateway.start(CONF.formatted(TestGateway.freePort()), MODULES);
                RawHttpClient c = RawHttpClient.connect(gw.port())) {
            assertThat(c.send("POST /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx").readResponse()
                    .code()).isEqualTo(405);
            RawResponse head = c.send("HEAD /metrics HTTP/1.1\r\nHost: h\r\n\r\n").readResponse(true);
            assertThat(head.code()).isEqualTo(200);
            assertThat(head.bodyLength()).isZero();
        }
    }

    @Test
    void configurationMistakes() throws Exception {
        assertThat(error("location /m { metrics on; }")).startsWith("invalid number of arguments in \"metrics\"");
        assertThat(error("metrics;")).startsWith("\"metrics\" directive is not allowed here");
        assertThat(error("location /m { metrics; stub_status; }"))
                .startsWith("\"stub_status\" directive is duplicate");
        assertThat(error("location /m { stub_status a b; }"))
                .startsWith("invalid number of arguments in \"stub_status\"");
    }

    private static String error(String server) throws Exception {
        ConfException e = TestGateway.configError("http { server { listen 127.0.0.1:1; " + server + " } }\n",
                MODULES);
        assertThat(e).isNotNull();
        return e.getMessage();
    }
}
