package io.jwtgate.gzip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gzip bomb through {@code gunzip}: 1 GiB of zeros, about 1 MiB gzipped (1024 members), to a client that does not
 * take gzip. While the client reads nothing, the gateway must stop inflating (its memory stays bounded, nowhere near
 * what it would hold if it inflated ahead of the client); a client that reads a quarter of it (256 MiB) gets all of
 * that; a client that leaves mid-way ends the request.
 */
class GunzipBombTest {

    static final long SIZE = 1L << 30;

    static byte[] bomb;
    static TestBackend backend;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        // 1024 gzip members of 1 MiB of zeros each, one after the other, as nginx's gunzip reads them too
        byte[] member = GzipTesting.gzip(new byte[1 << 20]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long n = 0; n < SIZE; n += 1 << 20) {
            out.write(member);
        }
        bomb = out.toByteArray();
        byte[] quarter = Arrays.copyOf(bomb, bomb.length / 4);
        backend = TestBackend.start(r -> switch (r.uri()) {
            case "/bomb" -> gzipped(bomb);
            case "/quarter" -> gzipped(quarter);
            default -> Reply.status(200, "small");
        });
        gateway = TestGateway.start("events {} http { server { listen 127.0.0.1:" + TestGateway.freePort()
                + "; location / { gunzip on; proxy_pass http://" + backend.hostPort() + "; } } }",
                GzipTesting.modules());
    }

    static Reply gzipped(byte[] body) {
        return Reply.bytes(200, body).header("Content-Type", "text/plain").header("Content-Encoding", "gzip");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aStalledClientHoldsTheInflatingBack() throws Exception {
        assertThat(bomb.length).isLessThan(2 << 20);
        long before = directMemory();
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setReceiveBufferSize(64 * 1024);
            OutputStream out = s.getOutputStream();
            out.write("GET /bomb HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long got = 0;
            while (got < 1 << 20) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                got += n;
            }
            Thread.sleep(1500); // the client reads nothing; an unbounded gateway would inflate on meanwhile
            long held = directMemory() - before;
            assertThat(held).as("direct memory held while the client stalls").isLessThan(8L << 20);
            assertThat(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                    .isLessThan(512L << 20);
        }
        // the client left mid-way: the gateway closes the request and stays up
        assertThat(RawHttpClient.get(gateway.port(), "/again").code()).isEqualTo(200);
    }

    @Test
    void aReadingClientGetsAllOfIt() throws Exception {
        RawResponse r;
        try (RawHttpClient c = RawHttpClient.connect(gateway.port()).readTimeout(Duration.ofSeconds(60))) {
            r = c.send("GET /quarter HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readResponseDiscardingBody();
        }
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(r.isBodyComplete()).isTrue();
        assertThat(r.bodyLength()).isEqualTo(SIZE / 4);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] zeros = new byte[1 << 20];
        for (long n = 0; n < SIZE / 4; n += zeros.length) {
            sha.update(zeros);
        }
        assertThat(r.bodySha256()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
    }

    /** Direct memory in use: Netty's own count where it allocates without cleaners, else the JVM's pool. */
    static long directMemory() throws IOException {
        long netty = PlatformDependent.usedDirectMemory();
        long jvm = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                jvm = pool.getMemoryUsed();
            }
        }
        return Math.max(netty, 0) + jvm;
    }
}
