package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The access log of stock nginx and of jwtgate for the same requests, including those answered before routing (a
 * too long header line, a duplicate {@code Host}) and those closed without an answer: the same lines. The time
 * variables, written in the same time zone ({@code TZ} for nginx, the JVM's default zone for jwtgate), have the same
 * form and offset, and values within a second of nginx's.
 */
class AccessLogDifferentialTest {

    static final String CONFIG = """
            log_format s '$status $request_method $body_bytes_sent';
            server {
                listen 127.0.0.1:%2$d;
                access_log %1$s/access-%2$d.log s;
                location / { return 200 "fine"; }
                location /t { return 408; }
                location /c { return 444; }
            }
            """;

    static final String[] REQUESTS = {
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + "a".repeat(9000) + "\r\n\r\n",
        "HEAD / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /t HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /c HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
    };

    static final String TIME_CONFIG = """
            log_format t '$msec|$time_local|$time_iso8601|$request_time';
            server {
                listen 127.0.0.1:%2$d;
                access_log %1$s/access-%2$d.log t;
                location / { return 200 "fine"; }
            }
            """;

    private static final DateTimeFormatter TIME_LOCAL =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss xx", Locale.ROOT);

    static Path dir;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("log-diff");
        pair = SideBySide.start(port -> CONFIG.formatted(dir, port), CoreModules::create);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void sameLinesAsNginx() throws Exception {
        for (String request : REQUESTS) {
            exchange(pair.nginxPort(), request);
            exchange(pair.gatewayPort(), request);
        }
        List<String> expected = lines(pair.nginxPort(), REQUESTS.length);
        assertThat(expected).hasSize(REQUESTS.length).contains("400 GET 157", "408 GET 0");
        String nginxServer = RawHttpClient.get(pair.nginxPort(), "/").header("Server");
        long longer = nginxServer.length() - SideBySide.jwtgateServer(nginxServer).length();
        assertThat(lines(pair.gatewayPort(), REQUESTS.length).stream()
                .map(line -> signedAsNginx(line, longer)).toList())
                .isEqualTo(expected);
    }

    /** UTC, a positive offset with half an hour, a negative one with half an hour (-03:30 in December). */
    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Asia/Kolkata", "America/St_Johns"})
    void timeVariablesAsNginxInTheSameZone(String zone) throws Exception {
        assertThat(StockNginx.available()).as("stock nginx at /usr/sbin/nginx").isTrue();
        TimeZone saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        int nginxPort = TestGateway.freePort();
        int gatewayPort = TestGateway.freePort();
        String request = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        try (StockNginx nginx = StockNginx.start(TIME_CONFIG.formatted(dir, nginxPort), nginxPort,
                    Map.of("TZ", zone));
                TestGateway gateway = TestGateway.start("http {\n" + TIME_CONFIG.formatted(dir, gatewayPort) + "}\n",
                        CoreModules::create)) {
            long[] nginxClock = timedExchange(nginxPort, request);
            long[] gatewayClock = timedExchange(gatewayPort, request);
            String[] expected = lines(nginxPort, 1).get(0).split("\\|");
            String[] actual = lines(gatewayPort, 1).get(0).split("\\|");
            assertThat(actual).hasSize(4);
            // the form: every digit masked, the rest (separators, month name, offset sign) the same
            assertThat(Arrays.stream(actual).map(f -> f.replaceAll("[0-9]", "9")))
                    .containsExactlyElementsOf(Arrays.stream(expected).map(f -> f.replaceAll("[0-9]", "9")).toList());
            String offset = ZoneId.of(zone).getRules().getOffset(Instant.now()).getId().replace("Z", "+00:00");
            assertThat(expected[2]).endsWith(offset);
            assertThat(actual[2]).endsWith(offset);
            assertThat(actual[1]).endsWith(offset.replace(":", ""));
            // each value within a second of the exchange it logs, as this test's clock saw it
            assertThat(instants(expected)).isBetween(nginxClock[0] - 1000, nginxClock[1]);
            assertThat(instants(actual)).isBetween(gatewayClock[0] - 1000, gatewayClock[1]);
            assertThat(Double.parseDouble(actual[3])).isBetween(0.0, 1.0);
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    /** {@code $msec} in milliseconds, after checking that the two dates in the line name the same second. */
    private static long instants(String[] f) {
        long millis = Math.round(Double.parseDouble(f[0]) * 1000);
        long second = millis / 1000;
        assertThat(ZonedDateTime.parse(f[1], TIME_LOCAL).toEpochSecond()).isBetween(second - 1, second);
        assertThat(OffsetDateTime.parse(f[2]).toEpochSecond()).isBetween(second - 1, second);
        return millis;
    }

    /** A log line with the length of an error page as nginx's would be: its signature is {@code longer}. */
    private static String signedAsNginx(String line, long longer) {
        String[] f = line.split(" ");
        long bytes = Long.parseLong(f[2]);
        return Integer.parseInt(f[0]) >= 300 && bytes > 0 ? f[0] + " " + f[1] + " " + (bytes + longer) : line;
    }

    /** {@link #exchange}, returning the wall clock (milliseconds) before and after. */
    private static long[] timedExchange(int port, String request) throws IOException {
        long before = System.currentTimeMillis();
        exchange(port, request);
        return new long[] {before, System.currentTimeMillis()};
    }

    /** Sends one request and reads until the server closes (each ends with Connection: close or none). */
    private static void exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write((request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getInputStream().readAllBytes();
        }
    }

    private static List<String> lines(int port, int count) throws Exception {
        Path log = dir.resolve("access-" + port + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(20);
        }
    }
}
