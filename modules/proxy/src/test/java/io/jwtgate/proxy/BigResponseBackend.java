package io.jwtgate.proxy;

import io.jwtgate.testing.PseudoRandomBytes;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A blocking keep-alive upstream that answers every {@code GET /...?size=N[&accel=V]} with N {@link PseudoRandomBytes}
 * and a {@code Content-Length} (and {@code X-Accel-Buffering: V}), and counts the connections it accepted and the
 * responses whose last byte its socket took: with a blocking socket that happens only once the peer (the gateway)
 * read all but what the kernel buffers hold, so it tells when the gateway let go of the upstream.
 */
final class BigResponseBackend implements AutoCloseable {

    private static final Pattern SIZE = Pattern.compile("[?&]size=(\\d+)");
    private static final Pattern ACCEL = Pattern.compile("[?&]accel=(\\w+)");

    private final ServerSocket server;
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger responsesWritten = new AtomicInteger();

    BigResponseBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "big-response-backend");
        t.setDaemon(true);
        t.start();
    }

    String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "big-response-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                String line = readHead(in);
                if (line == null) {
                    return;
                }
                Matcher size = SIZE.matcher(line);
                long n = size.find() ? Long.parseLong(size.group(1)) : 0;
                Matcher accel = ACCEL.matcher(line);
                String head = "HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\n"
                        + (accel.find() ? "X-Accel-Buffering: " + accel.group(1) + "\r\n" : "") + "\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                PseudoRandomBytes bytes = new PseudoRandomBytes();
                byte[] piece = new byte[64 * 1024];
                for (long left = n; left > 0; ) {
                    int k = (int) Math.min(piece.length, left);
                    bytes.nextBytes(piece, 0, k);
                    out.write(piece, 0, k);
                    left -= k;
                }
                out.flush();
                responsesWritten.incrementAndGet();
            }
        } catch (IOException e) {
            // the gateway closed the connection
        }
    }

    /** The request line of the next request (its headers skipped), or {@code null} at the end of the connection. */
    private static String readHead(InputStream in) throws IOException {
        String first = null;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\r') {
                continue;
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            if (line.size() == 0) {
                return first;
            }
            if (first == null) {
                first = line.toString(StandardCharsets.ISO_8859_1);
            }
            line.reset();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
