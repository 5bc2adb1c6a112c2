package io.jwtgate.gzip;

import static io.jwtgate.gzip.GzipTesting.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Broken gzip from the upstream through {@code gunzip}, against stock nginx: corrupt data mid-stream, a stream cut
 * short, garbage after the last member, a wrong CRC, no gzip at all. nginx logs the inflate error and closes the
 * connection: with the body cut off, or, when the filter failed before it gave anything, without a response at all
 * (nginx sends the head with the first body bytes); jwtgate must do the same.
 */
class GunzipBadInputDifferentialTest {

    static final byte[] TEXT = GzipTesting.json(200 * 1024).getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] GZ = GzipTesting.gzip(TEXT);

    static TestBackend backend;
    static SideBySide pair;

    static byte[] body(String name) {
        return switch (name) {
            case "corrupt" -> {
                byte[] b = GZ.clone();
                Arrays.fill(b, b.length / 2, b.length / 2 + 64, (byte) 0xff);
                yield b;
            }
            case "truncated" -> Arrays.copyOf(GZ, GZ.length * 3 / 5);
            case "trailing" -> {
                byte[] b = Arrays.copyOf(GZ, GZ.length + 7);
                System.arraycopy("garbage".getBytes(StandardCharsets.ISO_8859_1), 0, b, GZ.length, 7);
                yield b;
            }
            case "badcrc" -> {
                byte[] b = GZ.clone();
                b[b.length - 8] ^= 0x55;
                yield b;
            }
            case "notgzip" -> "plain text, not gzip at all".repeat(100).getBytes(StandardCharsets.ISO_8859_1);
            default -> GZ;
        };
    }

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(r -> Reply.bytes(200, body(r.uri().substring(1)))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip"));
        pair = SideBySide.start(port -> "server { listen 127.0.0.1:" + port + "; location / { gunzip on; "
                + "proxy_pass http://" + backend.hostPort() + "; } }", GzipTesting.modules());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** The response, or {@code null} when the server closed the connection without one. */
    static RawResponse sendOrNull(int port, String request) {
        try {
            return send(port, request);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof EOFException) {
                return null;
            }
            throw e;
        }
    }

    @Test
    void brokenGzipCutsTheResponseOffAsNginx() throws Exception {
        for (String name : List.of("corrupt", "truncated", "trailing", "badcrc", "notgzip")) {
            String request = "GET /" + name + " HTTP/1.1\r\nHost: x\r\n\r\n";
            RawResponse n = sendOrNull(pair.nginxPort(), request);
            RawResponse g = sendOrNull(pair.gatewayPort(), request);
            if (n == null) {
                assertThat(g).as(name + ": nginx closed without a response").isNull();
                continue;
            }
            assertThat(g).as(name).isNotNull();
            assertThat(SideBySide.masked(g.head()).replace("Connection: keep-alive", "Connection: *"))
                    .as(name).isEqualTo(SideBySide.masked(n.head()).replace("Connection: keep-alive", "Connection: *"));
            assertThat(g.isBodyComplete()).as(name).isEqualTo(n.isBodyComplete()).isFalse();
            assertThat(g.bodyLength()).as(name).isLessThanOrEqualTo(TEXT.length);
        }
        assertThat(pair.nginxErrorMessages()).allMatch(m -> m.startsWith("inflate() "));
        assertThat(pair.nginxErrorMessages()).hasSize(5);
        RawResponse whole = send(pair.gatewayPort(), "GET /whole HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(whole.body()).isEqualTo(TEXT);
    }
}
