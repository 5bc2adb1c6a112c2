package io.jwtgate.limitconn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A backend for {@code proxy_pass} that holds requests open until the test lets them go, so that a test knows
 * exactly how many requests are in progress at the gateway: a request for a path under {@code /held} gets its head
 * and the first half of its body at once ({@code 200}, {@code held-} and the path's last character), the rest when
 * {@link #release()} is called; under {@code /silent} nothing is sent before the release, then the whole response;
 * {@code /404} is answered {@code 404} and every other path {@code 200 ok}, at once.
 * One thread per connection, every wait bounded.
 */
final class GateBackend implements AutoCloseable {

    private static final long WAIT_SECONDS = 20;

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Semaphore heldArrivals = new Semaphore(0);
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(1));

    private GateBackend(ServerSocket server) {
        this.server = server;
        Thread accept = new Thread(this::accept, "gate-backend-accept");
        accept.setDaemon(true);
        accept.start();
    }

    static GateBackend start() throws IOException {
        return new GateBackend(new ServerSocket(0, 128, InetAddress.getLoopbackAddress()));
    }

    int port() {
        return server.getLocalPort();
    }

    /** Waits until {@code n} more held requests have arrived since the last call, and no more than those. */
    void awaitHeld(int n) throws InterruptedException {
        assertThat(heldArrivals.tryAcquire(n, WAIT_SECONDS, TimeUnit.SECONDS))
                .as(n + " held requests arrive at the backend").isTrue();
        assertThat(heldArrivals.availablePermits()).as("no other held request arrived").isZero();
    }

    /** How many held requests arrived and were not yet awaited. */
    int unawaitedHeld() {
        return heldArrivals.availablePermits();
    }

    /** Finishes every request held now. */
    void release() {
        gate.getAndSet(new CountDownLatch(1)).countDown();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "gate-backend");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            String head = readHead(in);
            String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
            boolean silent = path.startsWith("/silent");
            if (path.startsWith("/held") || silent) {
                CountDownLatch released = gate.get();
                byte[] firstHalf = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nheld"
                        .getBytes(StandardCharsets.US_ASCII);
                if (!silent) {
                    out.write(firstHalf);
                    out.flush();
                }
                heldArrivals.release();
                released.await(WAIT_SECONDS, TimeUnit.SECONDS);
                if (silent) {
                    out.write(firstHalf);
                }
                out.write(("-" + path.charAt(path.length() - 1) + "\n").getBytes(StandardCharsets.US_ASCII));
            } else {
                int code = path.equals("/404") ? 404 : 200;
                out.write(("HTTP/1.1 " + code + " X\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException | InterruptedException | RuntimeException gone) {
            // the gateway went away or the test ended: nothing to answer
        } finally {
            sockets.remove(s);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request head cut short");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        release();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
