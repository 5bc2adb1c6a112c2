package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload while requests run (docs/operations.md#reload): a request in progress ends on the configuration it
 * started with, its resources included (its access log file, reopened by {@code -s reopen} like the running
 * configuration's); a keep-alive connection's next request, and a new connection on the kept listening socket, get
 * the new configuration.
 */
class ReloadTest {

    private static final int BIG = 16 * 1024 * 1024;

    @TempDir
    Path dir;

    private static String conf(int port, String log, String answer) {
        return """
                http {
                    log_format short "$request $status";
                    access_log %s short;
                    server {
                        listen 127.0.0.1:%d;
                        location /big { return 200 "%s"; }
                        location / { return 200 "%s"; }
                    }
                }
                """.formatted(log, port, "x".repeat(BIG), answer);
    }

    /**
     * A client that reads slowly keeps a 16 MiB response in flight across the reload; the old configuration's access
     * log is still open when that response ends, so its line is written there, while requests after the reload are
     * logged to the new file.
     */
    @Test
    void aRequestInFlightEndsOnTheOldConfigurationItsAccessLogIncluded() throws Exception {
        int port = TestGateway.freePort();
        Path oldLog = dir.resolve("old.log");
        Path newLog = dir.resolve("new.log");
        try (TestGateway gw = TestGateway.start(dir, conf(port, "old.log", "one"), CoreModules::create);
                RawHttpClient keepAlive = RawHttpClient.connect(port);
                Socket slow = new Socket()) {
            keepAlive.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(keepAlive.readResponse().bodyString()).isEqualTo("one");

            slow.setReceiveBufferSize(4096);
            slow.setSoTimeout(20_000);
            slow.connect(new InetSocketAddress("127.0.0.1", port));
            slow.getOutputStream().write("GET /big HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = slow.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 200 OK");
            Thread.sleep(300); // the server fills the socket buffers and waits

            gw.reload(conf(port, "new.log", "two"));
            keepAlive.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse next = keepAlive.readResponse();
            assertThat(next.bodyString()).as("the kept connection's next request").isEqualTo("two");
            assertThat(RawHttpClient.get(port, "/").bodyString()).as("a new connection").isEqualTo("two");
            await(() -> lines(newLog).contains("GET / HTTP/1.1 200\nGET / HTTP/1.1 200\n"));

            // a log rotation meanwhile: the old configuration's file is reopened too
            Path rotated = dir.resolve("old.log.1");
            Files.move(oldLog, rotated);
            gw.server().reopen();
            await(() -> Files.exists(oldLog));

            long received = in.transferTo(OutputStream.nullOutputStream());
            assertThat(received).isEqualTo(BIG);
            await(() -> lines(oldLog).contains("GET /big HTTP/1.1 200\n"));
            assertThat(lines(rotated)).isEqualTo("GET / HTTP/1.1 200\n");
            assertThat(lines(oldLog)).isEqualTo("GET /big HTTP/1.1 200\n");
            assertThat(lines(newLog)).isEqualTo("GET / HTTP/1.1 200\nGET / HTTP/1.1 200\n");
        }
    }

    private static String lines(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("within 5 s").isTrue();
            Thread.sleep(20);
        }
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the response head: " + head);
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
