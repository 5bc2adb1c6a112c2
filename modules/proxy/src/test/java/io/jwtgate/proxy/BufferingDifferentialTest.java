package io.jwtgate.proxy;

import static io.jwtgate.proxy.ResponseBufferingTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.PseudoRandomBytes;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Buffering as stock nginx does it, observed on the wire with the same requests to both: {@code $request_body} of a
 * body in memory and of one in a file; the framing the upstream gets for a chunked body; when the upstream is
 * connected while a body arrives; whether a client that reads nothing holds the upstream back.
 */
class BufferingDifferentialTest {

    static final long BIG = 32L * 1024 * 1024;

    static TestBackend echo;
    static HashingBackend uploads;
    static BigResponseBackend downloads;
    static SideBySide pair;
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        echo = TestBackend.start();
        uploads = new HashingBackend();
        downloads = new BigResponseBackend();
        logs = Files.createTempDirectory("buffering-diff");
        pair = SideBySide.start(port -> """
                log_format body '$request_uri [$request_body]';
                server {
                    listen 127.0.0.1:%d;
                    client_body_buffer_size 1k;
                    location /echo/ { add_header X-Body "[$request_body]"; proxy_pass http://%s; }
                    location /logged/ { access_log %s/access-%1$d.log body; proxy_pass http://%2$s; }
                    location /off/ { proxy_request_buffering off; proxy_http_version 1.1; proxy_pass http://%2$s; }
                    location /up/ { proxy_pass http://%s; }
                    location /down/ { proxy_pass http://%s; }
                    location /down-off/ { proxy_buffering off; proxy_pass http://%5$s; }
                }
                """.formatted(port, echo.hostPort(), logs, uploads.hostPort(), downloads.hostPort()),
                Gateways.modules());
    }

    @AfterAll
    static void stop() throws Exception {
        pair.close();
        echo.close();
        uploads.close();
        downloads.close();
    }

    /**
     * Each body is sent 200 ms after its head: nginx keeps a body that came in the same read as the head in its
     * header buffer, whatever its size (and then knows a chunked body's length), a memory layout jwtgate does not
     * copy (docs/proxy.md, "Buffering").
     */
    @Test
    void requestBodyVariableAndTheUpstreamsFraming() throws Exception {
        String[][] requests = {
            {"POST /echo/a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", "hello"},
            {"POST /echo/a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
                "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n"},
            {"POST /echo/a HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n", "x".repeat(2000)},
            {"POST /echo/a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
                "7d0\r\n" + "y".repeat(2000) + "\r\n0\r\n\r\n"},
            {"POST /off/a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", "3\r\nabc\r\n0\r\n\r\n"},
            {"GET /echo/a HTTP/1.1\r\nHost: a\r\n\r\n", ""},
        };
        List<String> diffs = new ArrayList<>();
        for (String[] request : requests) {
            String nginx = seen(pair.nginxPort(), request);
            String jwtgate = seen(pair.gatewayPort(), request);
            if (!nginx.equals(jwtgate)) {
                diffs.add(request[0].replace("\r\n", " ") + "\n  nginx:   " + nginx + "\n  jwtgate: " + jwtgate);
            }
        }
        assertThat(diffs).as("unlike nginx").isEmpty();
    }

    /** {@code $request_body} as the client sees it and the body framing the upstream got. */
    private static String seen(int port, String[] request) throws InterruptedException {
        RawResponse r;
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            c.send(request[0]);
            Thread.sleep(200);
            r = c.send(request[1]).readResponse();
        }
        RecordedRequest up = echo.lastRequest();
        return r.code() + " X-Body: " + r.header("X-Body") + ", upstream: Content-Length " + up.header("Content-Length")
                + ", Transfer-Encoding " + up.header("Transfer-Encoding") + ", " + up.bodyLength() + " bytes";
    }

    /**
     * {@code $request_body} in the access log: escaped as nginx escapes, {@code -} when the body is in a file or there
     * is none, empty for a declared empty body.
     */
    @Test
    void requestBodyInTheAccessLog() throws Exception {
        String[] bodies = {"hello", "a\"b\\c\u0001\u00c3\u00a9\u00ff", "x".repeat(2000), ""};
        for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
            for (int i = 0; i < bodies.length; i++) {
                seen(port, new String[] {"POST /logged/" + i + " HTTP/1.1\r\nHost: a\r\nContent-Length: "
                        + bodies[i].length() + "\r\n\r\n", bodies[i]});
            }
            seen(port, new String[] {"POST /logged/chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
                "0\r\n\r\n"});
            seen(port, new String[] {"GET /logged/get HTTP/1.1\r\nHost: a\r\n\r\n", ""});
        }
        List<String> nginx = logLines(pair.nginxPort(), bodies.length + 2);
        assertThat(nginx).hasSize(bodies.length + 2).contains("/logged/0 [hello]", "/logged/2 [-]");
        assertThat(logLines(pair.gatewayPort(), bodies.length + 2)).isEqualTo(nginx);
    }

    /** The access log's lines as bytes (one char each), once it has {@code count} of them (it is written behind). */
    private static List<String> logLines(int port, int count) throws Exception {
        Path log = logs.resolve("access-" + port + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theUpstreamIsConnectedOnceTheBodyIsComplete() throws Exception {
        for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
            int accepted = uploads.accepted.get();
            try (RawHttpClient c = RawHttpClient.connect(port)) {
                c.send("POST /up/x HTTP/1.1\r\nHost: a\r\nContent-Length: 100005\r\n\r\n");
                c.sendBody(100_000);
                Thread.sleep(500);
                assertThat(uploads.accepted.get()).as("connections before the end, port " + port)
                        .isEqualTo(accepted);
                c.send("12345");
                RawResponse r = c.readResponse();
                assertThat(r.bodyString()).isEqualTo("100005 " + RequestBufferingTest.sha256(100_000, "12345"));
            }
        }
    }

    @Test
    void aClientThatReadsNothingHoldsTheUpstreamOnlyWithBufferingOff() throws Exception {
        for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
            int written = downloads.responsesWritten.get();
            try (ResponseBufferingTest.SlowClient slow = new ResponseBufferingTest.SlowClient(port,
                    "/down/x?size=" + BIG)) {
                await(() -> downloads.responsesWritten.get() == written + 1, Duration.ofSeconds(10));
                assertThat(slow.readBodySha256()).isEqualTo(PseudoRandomBytes.sha256(BIG));
            }
            try (ResponseBufferingTest.SlowClient slow = new ResponseBufferingTest.SlowClient(port,
                    "/down-off/x?size=" + BIG)) {
                Thread.sleep(ResponseBufferingTest.STALL.toMillis());
                assertThat(downloads.responsesWritten.get()).as("port " + port).isEqualTo(written + 1);
                assertThat(slow.readBodySha256()).isEqualTo(PseudoRandomBytes.sha256(BIG));
            }
        }
    }
}
