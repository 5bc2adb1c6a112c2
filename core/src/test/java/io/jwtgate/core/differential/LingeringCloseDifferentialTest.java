package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.SideBySide;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code lingering_close} against stock nginx: a client that uploads a large body which the server answers early
 * and without keep-alive (a 413, a handler that never reads the body) sends it whole and then reads the whole
 * response, instead of meeting a reset; with {@code lingering_close always} the client may send more after the
 * response without a reset, with {@code off} it meets one.
 */
class LingeringCloseDifferentialTest {

    /** Far more than the sockets on both sides buffer, so an unread body is on the wire when the server answers. */
    private static final int LARGE = 16 << 20;

    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    client_max_body_size 1k;
                    location / { return 200 "ok\\n"; }
                    location /unread/ { client_max_body_size 0; keepalive_timeout 0; return 200 "ok\\n"; }
                    location /always/ { lingering_close always; lingering_timeout 2s; return 200 "ok\\n"; }
                    location /off/ { lingering_close off; return 200 "ok\\n"; }
                }
                """.formatted(port), CoreModules::create);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"/, 413", "/unread/, 200"})
    void anUnreadUploadIsDiscardedAndTheResponseArrives(String path, int status) throws Exception {
        assertThat(upload(pair.gatewayPort(), path)).startsWith("sent " + LARGE + ": HTTP/1.1 " + status)
                .isEqualTo(upload(pair.nginxPort(), path));
    }

    @ParameterizedTest
    @CsvSource({"/always/, true", "/off/, false"})
    void bytesAfterTheResponseAreReadOnlyWhenLingering(String path, boolean read) throws Exception {
        assertThat(moreAfterResponse(pair.nginxPort(), path)).as("nginx").isEqualTo(read);
        assertThat(moreAfterResponse(pair.gatewayPort(), path)).as("jwtgate").isEqualTo(read);
    }

    /** Sends a POST with a {@link #LARGE} body, then reads the response: what was sent, and the status line. */
    private static String upload(int port, String path) throws IOException {
        try (Socket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + LARGE + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            long sent = 0;
            try {
                while (sent < LARGE) {
                    out.write(chunk);
                    sent += chunk.length;
                }
            } catch (IOException e) {
                return "sent " + sent + ": " + e.getMessage();
            }
            String response = new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);
            return "sent " + sent + ": " + response.substring(0, Math.max(0, response.indexOf("\r\n")));
        }
    }

    /**
     * Sends a request with {@code Connection: close}, reads the response to its end, then sends more: whether the
     * server read that (no reset within a few writes).
     */
    private static boolean moreAfterResponse(int port, String path) throws Exception {
        try (Socket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok\n");
            try {
                for (int i = 0; i < 5; i++) {
                    out.write(new byte[1024]);
                    out.flush();
                    Thread.sleep(50); // a reset, if one comes, is back by the next write
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0;) {
            all.write(buf, 0, n);
        }
        return all.toByteArray();
    }
}
