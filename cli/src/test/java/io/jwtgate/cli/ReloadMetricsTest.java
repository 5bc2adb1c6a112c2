package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.jwtgate.metrics.TextExposition;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The configuration metrics of a running gateway process: generation, reloads by result, the last reload's result;
 * and request counts that go on across a reload.
 */
class ReloadMetricsTest extends GatewayProcessFixture {

    @Test
    void reloadsAreCountedAndCountsOutliveThem() throws Exception {
        int port = TestGateway.freePort();
        String metrics = "location /metrics { metrics; } ";
        writeConf(config(port, metrics + "location / { return 200 \"one\"; }"));
        try (ChildProcess gw = startGateway(port);
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TextExposition first = scrape(port);
            assertThat(first.value("jwtgate_config_generation")).isZero();
            assertThat(first.value("jwtgate_config_last_reload_success")).isEqualTo(1);
            assertThat(first.value("jwtgate_config_reloads_total", "result", "ok")).isZero();
            assertThat(body(port, "/")).isEqualTo("one");

            Files.writeString(conf, config(port, metrics + "location / { return 200 \"two\"; }"));
            assertThat(control("reload")).isEqualTo(Exit.OK);
            assertThat(body(port, "/")).isEqualTo("two");
            // applied by the command's check, refused by the gateway: its new port is taken
            Files.writeString(conf, config(port, "listen 127.0.0.1:" + taken.getLocalPort() + "; " + metrics));
            assertThat(control("reload")).isEqualTo(Exit.REJECTED);

            TextExposition e = scrape(port);
            assertThat(e.value("jwtgate_config_generation")).isEqualTo(2);
            assertThat(e.value("jwtgate_config_reloads_total", "result", "ok")).isEqualTo(1);
            assertThat(e.value("jwtgate_config_reloads_total", "result", "failed")).isEqualTo(1);
            assertThat(e.value("jwtgate_config_last_reload_success")).isZero();
            assertThat(e.value("jwtgate_config_last_reload_timestamp_seconds"))
                    .isCloseTo(System.currentTimeMillis() / 1000.0, offset(60.0));
            // "/" once on each configuration, the first scrape: one series across the reload
            assertThat(e.value("jwtgate_http_requests_total", "server", "", "code", "200")).isEqualTo(3);
            assertThat(e.value("process_start_time_seconds")).isPositive();
        }
    }

    private static TextExposition scrape(int port) {
        return TextExposition.parse(RawHttpClient.get(port, "/metrics").bodyString(), false);
    }
}
