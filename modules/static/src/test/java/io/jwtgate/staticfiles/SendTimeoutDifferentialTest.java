package io.jwtgate.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.testing.SideBySide;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code send_timeout} against stock nginx: a client that stops reading a large file is cut off once it took
 * nothing for the location's timeout, with nginx's info line; in a location with a longer timeout the same pause
 * costs nothing and the whole file arrives.
 */
class SendTimeoutDifferentialTest {

    static final long SIZE = 64L << 20;
    static Path dir;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("send-timeout");
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("big.bin").toFile(), "rw")) {
            f.setLength(SIZE);
        }
        Files.createDirectories(dir.resolve("patient"));
        Files.copy(dir.resolve("big.bin"), dir.resolve("patient/big.bin"));
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    server_name localhost;
                    root %s;
                    location / { send_timeout 1s; }
                    location /patient/ { send_timeout 30s; }
                }
                """.formatted(port, dir), StaticSite.MODULES);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffAsByNginx() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            int before = pair.nginxMessages("info").size();
            assertThat(pausedRead(pair.nginxPort(), "/big.bin")).as("nginx cut it off").isLessThan(SIZE);
            assertThat(pausedRead(pair.gatewayPort(), "/big.bin")).as("jwtgate cut it off").isLessThan(SIZE);
            List<String> nginx = pair.nginxMessages("info");
            String line = "client timed out (110: Connection timed out) while sending response to client, client: "
                    + "127.0.0.1, server: localhost, request: \"GET /big.bin HTTP/1.1\", host: \"localhost\"";
            assertThat(nginx.subList(before, nginx.size())).contains(line);
            assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().startsWith("client timed out"))
                    .extracting(ILoggingEvent::getFormattedMessage).containsExactly(line);
        } finally {
            root.detachAppender(appender);
        }
    }

    @Test
    void aLongerTimeoutLetsThePausedClientHaveItAll() throws Exception {
        assertThat(pausedRead(pair.nginxPort(), "/patient/big.bin")).isGreaterThan(SIZE);
        assertThat(pausedRead(pair.gatewayPort(), "/patient/big.bin")).isGreaterThan(SIZE);
    }

    /** Asks for {@code path} with a small receive buffer, reads nothing for 3 s, then reads to the end. */
    private static long pausedRead(int port, String path) throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(3000);
            s.setSoTimeout(10_000);
            long total = 0;
            byte[] buf = new byte[65536];
            InputStream in = s.getInputStream();
            try {
                for (int n; (n = in.read(buf)) > 0;) {
                    total += n;
                }
            } catch (SocketException cutOff) {
                // a reset ends the read as a close does
            }
            return total;
        }
    }
}
