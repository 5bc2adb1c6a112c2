package io.jwtgate.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An upstream on a plain socket, for byte-exact differential tests: it records each request head as received and
 * answers every connection with the same bytes, then closes it. No HTTP library between the wire and the test.
 */
final class FixedUpstream implements AutoCloseable {

    private final ServerSocket socket;
    private final byte[] answer;
    private final BlockingQueue<String> heads = new LinkedBlockingQueue<>();

    private FixedUpstream(ServerSocket socket, byte[] answer) {
        this.socket = socket;
        this.answer = answer;
    }

    static FixedUpstream start(byte[] answer) throws IOException {
        FixedUpstream u = new FixedUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), answer);
        Thread t = new Thread(u::serve, "fixed-upstream");
        t.setDaemon(true);
        t.start();
        return u;
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The next request head received (ISO-8859-1, one char per byte, up to and with the blank line). */
    String takeHead(Duration wait) throws InterruptedException {
        return heads.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                int matched = 0;
                while (matched < 4) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    head.write(b);
                    matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                }
                heads.add(head.toString(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(answer);
            } catch (IOException e) {
                // closed by close(), or a client that went away; serve the next one
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
