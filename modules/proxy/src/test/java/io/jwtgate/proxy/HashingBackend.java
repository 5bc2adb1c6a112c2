package io.jwtgate.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal blocking upstream for large uploads: reads one request per connection (a {@code Content-Length} or
 * chunked body, in 16 KiB reads, so a slow reader pushes back through TCP), and answers {@code 200} with the body's
 * length and SHA-256 as {@code length sha256}. Plain blocking sockets, independent of Netty, so that the
 * uploads are checked by code that shares nothing with the gateway.
 */
final class HashingBackend implements AutoCloseable {

    private final ServerSocket server;
    private final Thread acceptor;
    volatile String lastHead;
    /** Connections accepted so far. */
    final AtomicInteger accepted = new AtomicInteger();

    HashingBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "hashing-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "hashing-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            String head = readHead(in);
            lastHead = head;
            long length = -1;
            boolean chunked = false;
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[16 * 1024];
            long total = 0;
            if (chunked) {
                while (true) {
                    long size = Long.parseLong(readLine(in).split(";")[0].trim(), 16);
                    if (size == 0) {
                        while (!readLine(in).isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    total += copy(in, sha, buf, size);
                    readLine(in);
                }
            } else if (length > 0) {
                total = copy(in, sha, buf, length);
            }
            byte[] body = (total + " " + HexFormat.of().formatHex(sha.digest())).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (Exception e) {
            // the test sees the failure through the proxy
        }
    }

    private static long copy(InputStream in, MessageDigest sha, byte[] buf, long n) throws IOException {
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new IOException("eof");
            }
            sha.update(buf, 0, r);
            left -= r;
        }
        return n;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = readLine(in);
            if (line.isEmpty()) {
                return sb.toString();
            }
            sb.append(line).append("\r\n");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("eof");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
