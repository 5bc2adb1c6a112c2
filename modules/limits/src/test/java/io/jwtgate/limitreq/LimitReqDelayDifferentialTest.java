package io.jwtgate.limitreq;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Requests that wait, against stock nginx. The zone counts 20 requests a minute (one every 3 s): of three requests
 * sent at once with {@code burst=3 delay=1}, the third is over {@code delay} by nearly one request and waits for
 * nearly 3 s, which any machine sends three requests well within.
 */
class LimitReqDelayDifferentialTest {

    @TempDir
    Path dir;

    private String config(int port) {
        return """
                log_format lr '$uri $status $limit_req_status';
                limit_req_zone $http_k zone=slow:1m rate=20r/m;
                server {
                    listen 127.0.0.1:%d;
                    add_header X-LR $limit_req_status always;
                    location /slow { limit_req zone=slow burst=3 delay=1; access_log %s lr; }
                }
                """.formatted(port, dir.resolve("access-" + port + ".log"));
    }

    @Test
    void theRequestOverDelayWaitsOnATimer() throws Exception {
        try (SideBySide pair = SideBySide.start(this::config, LimitReqDifferentialTest.MODULES)) {
            for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
                List<String> answers = new ArrayList<>();
                long waited = 0;
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    RawResponse r = RawHttpClient.get(port, "/slow", "K: a");
                    waited = System.nanoTime() - start;
                    answers.add(r.code() + " " + r.header("X-LR"));
                }
                assertThat(answers).as("port " + port).containsExactly("404 PASSED", "404 PASSED", "404 DELAYED");
                assertThat(waited).as("the delayed one waited").isGreaterThan(500_000_000L);
            }
        }
    }

    /**
     * A client that goes away while its request waits ends the request there (499 in the access log, with
     * {@code DELAYED}), as nginx, which watches the connection during the delay; the request does not go on when
     * the timer would have fired.
     */
    @Test
    void aClientThatGoesAwayWhileDelayedEndsTheRequest() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try (SideBySide pair = SideBySide.start(this::config, LimitReqDifferentialTest.MODULES)) {
            for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
                RawHttpClient.get(port, "/slow", "K: gone");
                RawHttpClient.get(port, "/slow", "K: gone");
                try (RawHttpClient c = RawHttpClient.connect(port)) {
                    c.send("GET /slow HTTP/1.1\r\nHost: localhost\r\nK: gone\r\n\r\n");
                }
                assertThat(logLines(dir.resolve("access-" + port + ".log"), 3)).as("port " + port)
                        .containsExactly("/slow 404 PASSED", "/slow 404 PASSED", "/slow 499 DELAYED");
            }
            // past the end of the delay (under 3 s): nothing more happened to the request that was gone
            Thread.sleep(3500);
            for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
                assertThat(logLines(dir.resolve("access-" + port + ".log"), 3)).hasSize(3);
            }
            assertThat(RawHttpClient.get(pair.gatewayPort(), "/slow", "K: other").code()).isEqualTo(404);
            assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.ERROR).isEmpty();
        } finally {
            root.detachAppender(appender);
        }
    }

    /** The access log's lines once it has {@code n}, waiting up to 10 s for them. */
    private static List<String> logLines(Path file, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            if (lines.size() >= n) {
                return lines;
            }
            Thread.sleep(50);
        }
        return lines;
    }
}
