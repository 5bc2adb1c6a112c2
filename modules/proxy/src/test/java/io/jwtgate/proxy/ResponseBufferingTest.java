package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.PseudoRandomBytes;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_buffering}: a client that reads nothing while a 32 MiB response comes (far more than the kernel's
 * socket buffers on both sides hold) frees the upstream with buffering on (the upstream's last write completes and
 * its kept-alive connection serves the next request while the client has read nothing), through a temporary file
 * that is gone once the response ended or the client left; with buffering off, {@code proxy_max_temp_file_size 0}
 * or the upstream's {@code X-Accel-Buffering: no}, the upstream waits for the client, and with a small
 * {@code proxy_max_temp_file_size} it waits once the file holds that much. Every body arrives intact.
 */
class ResponseBufferingTest {

    static final long SIZE = 32L * 1024 * 1024;
    static final Duration STALL = Duration.ofSeconds(2);

    @TempDir
    static Path temp;
    static BigResponseBackend backend;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        backend = new BigResponseBackend();
        gw = Gateways.start("upstream u { server " + backend.hostPort() + "; keepalive 4; }", """
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_temp_path %s;
                        location /on/ { proxy_pass http://u; }
                        location /off/ { proxy_buffering off; proxy_pass http://u; }
                        location /nofile/ { proxy_max_temp_file_size 0; proxy_pass http://u; }
                        location /small-file/ { proxy_max_temp_file_size 1m; proxy_pass http://u; }
                """.formatted(temp));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        backend.close();
    }

    @Test
    void aSlowClientFreesTheUpstreamThroughATemporaryFile() throws Exception {
        int written = backend.responsesWritten.get();
        try (SlowClient slow = new SlowClient(gw.port(), "/on/big?size=" + SIZE)) {
            await(() -> backend.responsesWritten.get() == written + 1, Duration.ofSeconds(10));
            assertThat(tempFiles()).as("the body waits in a temporary file").hasSize(1);
            // what the kernel still held reaches the gateway; then the connection is back in the pool (most
            // recently used first) and the next request reuses it
            Thread.sleep(500);
            int accepted = backend.accepted.get();
            RawResponse next = RawHttpClient.get(gw.port(), "/on/small?size=10");
            assertThat(next.code()).isEqualTo(200);
            assertThat(backend.accepted.get()).as("connections the upstream accepted").isEqualTo(accepted);
            assertThat(slow.readBodySha256()).isEqualTo(PseudoRandomBytes.sha256(SIZE));
        }
        await(() -> tempFiles().isEmpty(), Duration.ofSeconds(5));
    }

    @Test
    void withBufferingOffTheUpstreamWaitsForTheClient() throws Exception {
        assertUpstreamWaits("/off/big?size=" + SIZE);
    }

    @Test
    void withoutTemporaryFileTheUpstreamWaitsOnceMemoryIsFull() throws Exception {
        assertUpstreamWaits("/nofile/big?size=" + SIZE);
    }

    @Test
    void aFullTemporaryFileMakesTheUpstreamWait() throws Exception {
        int written = backend.responsesWritten.get();
        try (SlowClient slow = new SlowClient(gw.port(), "/small-file/big?size=" + SIZE)) {
            Thread.sleep(STALL.toMillis());
            assertThat(backend.responsesWritten.get()).as("the upstream's write completed").isEqualTo(written);
            List<Path> files = tempFiles();
            assertThat(files).hasSize(1);
            // at most one socket read more than the limit: the read under way when the file became full
            assertThat(Files.size(files.get(0))).isBetween(1024L * 1024, 1024L * 1024 + 128 * 1024);
            // as nginx's, the file takes the limit in all; the rest goes through memory, the upstream waiting
            String sha = slow.readBodySha256(() -> assertThat(tempFiles()).singleElement()
                    .satisfies(f -> assertThat(Files.size(f)).isLessThanOrEqualTo(1024L * 1024 + 128 * 1024)));
            assertThat(sha).isEqualTo(PseudoRandomBytes.sha256(SIZE));
        }
        await(() -> backend.responsesWritten.get() == written + 1, Duration.ofSeconds(5));
        await(() -> tempFiles().isEmpty(), Duration.ofSeconds(5));
    }

    @Test
    void xAccelBufferingNoTurnsBufferingOff() throws Exception {
        assertUpstreamWaits("/on/big?accel=no&size=" + SIZE);
    }

    @Test
    void xAccelBufferingYesTurnsBufferingOn() throws Exception {
        int written = backend.responsesWritten.get();
        try (SlowClient slow = new SlowClient(gw.port(), "/off/big?accel=yes&size=" + SIZE)) {
            await(() -> backend.responsesWritten.get() == written + 1, Duration.ofSeconds(10));
            assertThat(slow.readBodySha256()).isEqualTo(PseudoRandomBytes.sha256(SIZE));
        }
    }

    @Test
    void theTemporaryFileIsRemovedWhenTheClientLeaves() throws Exception {
        int written = backend.responsesWritten.get();
        try (SlowClient slow = new SlowClient(gw.port(), "/on/big?size=" + SIZE)) {
            await(() -> backend.responsesWritten.get() == written + 1, Duration.ofSeconds(10));
            assertThat(tempFiles()).hasSize(1);
        }
        await(() -> tempFiles().isEmpty(), Duration.ofSeconds(5));
    }

    private static void assertUpstreamWaits(String path) throws Exception {
        int written = backend.responsesWritten.get();
        try (SlowClient slow = new SlowClient(gw.port(), path)) {
            Thread.sleep(STALL.toMillis());
            assertThat(backend.responsesWritten.get()).as("the upstream's write completed").isEqualTo(written);
            assertThat(tempFiles()).isEmpty();
            assertThat(slow.readBodySha256()).isEqualTo(PseudoRandomBytes.sha256(SIZE));
        }
        await(() -> backend.responsesWritten.get() == written + 1, Duration.ofSeconds(5));
    }

    static List<Path> tempFiles() {
        try (Stream<Path> s = Files.list(temp)) {
            return s.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition within " + limit).isNegative();
            Thread.sleep(20);
        }
    }

    /** A client with a small receive buffer that reads nothing until asked to read the whole response. */
    static final class SlowClient implements AutoCloseable {
        private final Socket socket = new Socket();

        SlowClient(int port, String path) throws IOException {
            socket.setReceiveBufferSize(4096);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }

        /** Reads a 200 response with a {@code Content-Length}; returns its body's SHA-256. */
        String readBodySha256() throws Exception {
            return readBodySha256(() -> { });
        }

        /** As {@link #readBodySha256()}, running {@code atHalf} once half the body was read. */
        String readBodySha256(Runnable atHalf) throws Exception {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                assertThat(b).as("response head").isNotNegative();
                head.write(b);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            assertThat(h).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("X-Accel-Buffering");
            long length = Long.parseLong(h.replaceAll("(?s).*\r\nContent-Length: (\\d+)\r\n.*", "$1"));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            boolean half = false;
            for (long left = length; left > 0; ) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                assertThat(n).as("body byte " + (length - left)).isNotNegative();
                sha.update(buf, 0, n);
                left -= n;
                if (!half && left <= length / 2) {
                    half = true;
                    atHalf.run();
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
