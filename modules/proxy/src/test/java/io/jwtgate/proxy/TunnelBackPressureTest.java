package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.TestGateway;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A client that floods a tunnel whose upstream reads nothing: the gateway stops reading the client once the
 * upstream connection takes no more, so the client's writes block after the socket buffers are full, and Netty's
 * direct memory does not grow with what the client tries to send (256 MiB). Netty's leak detector runs in paranoid
 * mode in the tests.
 */
class TunnelBackPressureTest {

    static final long FLOOD = 256L << 20;
    /** Socket buffers on the way (the gateway's are autotuned by Linux up to tcp_rmem/tcp_wmem), with room. */
    static final long MAX_ACCEPTED = 48L << 20;
    static final long MAX_DIRECT_GROWTH = 8L << 20;

    @Test
    void aFloodIsHeldBackNotBuffered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedUpstream upstream = ScriptedUpstream.start((s, in, out, u) -> {
            out.write(UpgradeTest.SWITCH.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                release.await(60, TimeUnit.SECONDS); // reads nothing meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
                TestGateway gw = Gateways.start("", UpgradeTest.LOCATION.formatted(upstream.port(), "60s"));
                Socket s = new Socket(InetAddress.getLoopbackAddress(), gw.port())) {
            s.setSoTimeout(10_000);
            s.setSendBufferSize(64 * 1024);
            s.getOutputStream().write(UpgradeTest.UPGRADE_REQUEST.getBytes(StandardCharsets.US_ASCII));
            WebSocketDifferentialTest.readHead(s.getInputStream());
            long directBefore = usedDirect();
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> flood(s, written), "flood");
            writer.setDaemon(true);
            writer.start();
            long last = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (written.get() != last && System.nanoTime() < deadline) { // until a second passes without progress
                last = written.get();
                Thread.sleep(1000);
            }
            long accepted = written.get();
            long directGrowth = usedDirect() - directBefore;
            release.countDown();
            s.close();
            assertThat(accepted).as("bytes the gateway let in before the client blocked").isLessThan(MAX_ACCEPTED)
                    .isGreaterThan(0);
            assertThat(directGrowth).as("Netty direct memory growth").isLessThan(MAX_DIRECT_GROWTH);
        }
    }

    private static void flood(Socket s, AtomicLong written) {
        byte[] piece = new byte[64 * 1024];
        try {
            OutputStream out = s.getOutputStream();
            while (written.get() < FLOOD) {
                out.write(piece);
                written.addAndGet(piece.length);
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    private static long usedDirect() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }
}
