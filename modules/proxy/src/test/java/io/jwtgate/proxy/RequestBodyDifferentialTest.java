package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chunked request bodies to a proxied location, sent to stock nginx and to jwtgate: a chunk whose header takes the
 * body over {@code client_max_body_size} is answered 413 as that header arrives, before any of its data, and the
 * connection is closed. The upstream takes what it is sent and never answers, so an answer can only come from the
 * gateway's own check.
 */
class RequestBodyDifferentialTest {

    static final String SERVER = """
            server {
                listen 127.0.0.1:%d;
                client_max_body_size 1k;
                client_body_timeout 30s;
                location / { proxy_http_version 1.1; proxy_pass http://127.0.0.1:%d; }
            }
            """;

    static final String HEAD = "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    /** Bodies whose last chunk header goes over 1 KiB; "abc" starts that chunk's data and must not reach upstream. */
    static final String[] OVER = {
        "401\r\nabc",
        "401;ext=1\r\nabc",
        "200\r\n" + "x".repeat(0x200) + "\r\n201\r\nabc",
        "FFFFFFFFFFFF\r\nabc",
    };

    @Test
    void chunkAnnouncedOverTheLimitIs413AtOnce() throws Exception {
        List<String> diffs = new ArrayList<>();
        try (Sink upstream = Sink.start();
                SideBySide pair = SideBySide.start(port -> SERVER.formatted(port, upstream.port()),
                        Gateways.modules())) {
            for (String body : OVER) {
                String nginx = outcome(pair.nginxPort(), HEAD + body);
                String jwtgate = outcome(pair.gatewayPort(), HEAD + body);
                if (!nginx.equals("413, closed") || !jwtgate.equals(nginx)) {
                    diffs.add(body.substring(0, Math.min(body.length(), 20)) + ": nginx " + nginx + ", jwtgate "
                            + jwtgate);
                }
            }
            assertThat(diffs).as("oversized chunks answered unlike nginx").isEmpty();
            assertThat(upstream.received()).as("what the upstream got").doesNotContain("abc");
        }
    }

    /** The status of the answer, read within the client's 10 s timeout, and whether the gateway closed after it. */
    private static String outcome(int port, String request) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            RawResponse r = c.send(request).readResponse();
            return r.code() + (c.isClosedByPeer(Duration.ofSeconds(3)) ? ", closed" : ", open");
        }
    }

    /** An upstream that reads what it is sent and never answers; it keeps every byte received. */
    static final class Sink implements AutoCloseable {
        private final ServerSocket socket;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        private Sink(ServerSocket socket) {
            this.socket = socket;
        }

        static Sink start() throws IOException {
            Sink s = new Sink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread t = new Thread(s::accept, "sink-upstream");
            t.setDaemon(true);
            t.start();
            return s;
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket c = socket.accept();
                    Thread t = new Thread(() -> drain(c), "sink-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void drain(Socket c) {
            try (c; InputStream in = c.getInputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (received) {
                        received.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the gateway closed or reset the connection: what came is kept
            }
        }

        String received() {
            synchronized (received) {
                return received.toString(StandardCharsets.ISO_8859_1);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
