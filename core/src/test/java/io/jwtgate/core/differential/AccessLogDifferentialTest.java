package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.SideBySide;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access log of stock nginx and of jwtgate for the same requests, including those answered before routing (a
 * too long header line, a duplicate {@code Host}) and those closed without an answer: the same lines.
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
        List<String> expected = lines(pair.nginxPort());
        assertThat(expected).hasSize(REQUESTS.length).contains("400 GET 157", "408 GET 0");
        assertThat(lines(pair.gatewayPort()).stream().map(AccessLogDifferentialTest::signedAsNginx).toList())
                .isEqualTo(expected);
    }

    /** A log line with the length of an error page as nginx's would be: its signature is 5 bytes longer. */
    private static String signedAsNginx(String line) {
        String[] f = line.split(" ");
        long bytes = Long.parseLong(f[2]);
        return Integer.parseInt(f[0]) >= 300 && bytes > 0 ? f[0] + " " + f[1] + " " + (bytes + 5) : line;
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

    private static List<String> lines(int port) throws Exception {
        Path log = dir.resolve("access-" + port + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
            if (lines.size() >= REQUESTS.length || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(20);
        }
    }
}
