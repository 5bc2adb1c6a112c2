package io.jwtgate.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.Openssl;
import io.jwtgate.testing.PseudoRandomBytes;
import io.jwtgate.testing.TestGateway;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 64 MiB file sent intact over plain HTTP with {@code sendfile} on (zero-copy) and off (chunks read off the
 * loop), and over TLS, to a client that stops reading for a while after the first MiB: the gateway must hold only a
 * few chunks meanwhile (Netty's buffers and the heap stay far below the file's size), then finish the file.
 */
class LargeFileTest {

    static final long SIZE = 64L * 1024 * 1024;

    @TempDir
    static Path dir;
    static TestGateway gateway;
    static int plain;
    static int tls;
    static String sha256;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("www"));
        PseudoRandomBytes random = new PseudoRandomBytes();
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(dir.resolve("www/big.bin"))) {
            for (long written = 0; written < SIZE; written += chunk.length) {
                random.nextBytes(chunk, 0, chunk.length);
                out.write(chunk);
            }
        }
        sha256 = PseudoRandomBytes.sha256(SIZE);
        Openssl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "t.key", "-out", "t.crt",
                "-subj", "/CN=t.test", "-days", "2");
        plain = TestGateway.freePort();
        tls = TestGateway.freePort();
        gateway = TestGateway.start(dir, """
                http {
                    server {
                        listen 127.0.0.1:%1$d;
                        listen 127.0.0.1:%2$d ssl;
                        ssl_certificate t.crt;
                        ssl_certificate_key t.key;
                        root %3$s/www;
                        sendfile on;
                        location /off/ { alias %3$s/www/; sendfile off; }
                    }
                }
                """.formatted(plain, tls, dir), StaticSite.MODULES);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void zeroCopyOnPlainConnections() throws Exception {
        fetchSlowly(new Socket("127.0.0.1", plain), "/big.bin");
    }

    @Test
    void chunksWithSendfileOff() throws Exception {
        fetchSlowly(new Socket("127.0.0.1", plain), "/off/big.bin");
    }

    @Test
    void chunksOverTls() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        ctx.init(null, new TrustManager[] {trustAll}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", tls);
        s.startHandshake();
        fetchSlowly(s, "/big.bin");
    }

    private static void fetchSlowly(Socket socket, String path) throws Exception {
        try (socket) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.setSoTimeout(30_000);
            long baseline = heldByGateway();
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Length: " + SIZE);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            long received = read(in, digest, buf, 1024 * 1024);
            Thread.sleep(1000); // the client stalls: the gateway must wait, not read the file into memory
            long during = heldByGateway();
            assertThat(during - baseline).as("memory held while the client stalls").isLessThan(16L * 1024 * 1024);
            received += read(in, digest, buf, SIZE - received);
            assertThat(received).isEqualTo(SIZE);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(sha256);
        }
    }

    /** Netty's buffers in use plus the heap in use after a collection. */
    private static long heldByGateway() {
        var metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return metric.usedDirectMemory() + metric.usedHeapMemory() + rt.totalMemory() - rt.freeMemory();
    }

    private static long read(InputStream in, MessageDigest digest, byte[] buf, long want) throws Exception {
        long got = 0;
        while (got < want) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, want - got));
            if (n < 0) {
                break;
            }
            digest.update(buf, 0, n);
            got += n;
        }
        return got;
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            last4 = last4 << 8 | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
