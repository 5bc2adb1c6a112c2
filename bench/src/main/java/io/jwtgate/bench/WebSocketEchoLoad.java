package io.jwtgate.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The WebSocket echo scenario of {@code bench/ws.sh}: {@code serve PORT} runs an echo server (Netty's WebSocket
 * server on one epoll event loop), {@code load PORT CONNECTIONS SECONDS WARMUP PAYLOAD} opens that many WebSocket
 * connections to {@code /ws} through a proxy on {@code PORT} and, on each, sends a masked text frame of
 * {@code PAYLOAD} bytes and waits for its echo, over and over (closed loop, one thread per connection, plain
 * blocking sockets and hand-made frames, so the client costs the same for every proxy). After {@code WARMUP}
 * seconds it measures for {@code SECONDS} and prints one line: round trips per second and the p50, p99 and p99.9
 * round-trip latencies in microseconds.
 */
public final class WebSocketEchoLoad {

    private static final String HANDSHAKE = "GET /ws HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private WebSocketEchoLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]));
        } else if (args.length == 6 && args[0].equals("load")) {
            load(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        } else {
            System.err.println("usage: serve PORT | load PORT CONNECTIONS SECONDS WARMUP PAYLOAD");
            System.exit(2);
        }
    }

    private static void serve(int port) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws"), new Echo());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        server.closeFuture().sync();
    }

    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            ctx.writeAndFlush(frame.retain());
        }
    }

    private static void load(int port, int connections, int seconds, int warmup, int payload) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long until = measureFrom + seconds * 1_000_000_000L;
        long[][] samples = new long[connections][];
        int[] counts = new int[connections];
        Thread[] threads = new Thread[connections];
        CountDownLatch failed = new CountDownLatch(1);
        for (int i = 0; i < connections; i++) {
            int n = i;
            threads[i] = new Thread(() -> {
                try {
                    samples[n] = run(port, payload, measureFrom, until, counts, n);
                } catch (IOException e) {
                    System.err.println("connection " + n + ": " + e);
                    failed.countDown();
                }
            }, "ws-load-" + i);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failed.getCount() == 0) {
            System.exit(1);
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < connections; i++) {
            System.arraycopy(samples[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        System.out.printf("rtt/s %.0f p50 %d p99 %d p999 %d%n", total / (double) seconds, pct(all, 0.50) / 1000,
                pct(all, 0.99) / 1000, pct(all, 0.999) / 1000);
    }

    private static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** One connection's loop; returns its latencies in ns ({@code counts[n]} of them). */
    private static long[] run(int port, int payload, long measureFrom, long until, int[] counts, int n)
            throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(HANDSHAKE.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            skipHead(in);
            byte[] frame = maskedTextFrame(payload);
            byte[] echo = new byte[payload + (payload < 126 ? 2 : 4)];
            long[] lat = new long[1 << 16];
            int count = 0;
            while (true) {
                long t0 = System.nanoTime();
                if (t0 - until >= 0) {
                    break;
                }
                out.write(frame);
                out.flush();
                in.readFully(echo);
                long t1 = System.nanoTime();
                if (t0 - measureFrom >= 0) {
                    if (count == lat.length) {
                        lat = Arrays.copyOf(lat, count * 2);
                    }
                    lat[count++] = t1 - t0;
                }
            }
            counts[n] = count;
            return lat;
        }
    }

    private static void skipHead(InputStream in) throws IOException {
        int matched = 0;
        StringBuilder head = new StringBuilder();
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the handshake answer: " + head);
            }
            head.append((char) b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        if (!head.toString().startsWith("HTTP/1.1 101 ")) {
            throw new IOException("no upgrade: " + head);
        }
    }

    /** A client text frame (masked, as RFC 6455 requires) of {@code payload} bytes, payload below 64 KiB. */
    private static byte[] maskedTextFrame(int payload) {
        int header = payload < 126 ? 6 : 8;
        byte[] f = new byte[header + payload];
        f[0] = (byte) 0x81;
        if (payload < 126) {
            f[1] = (byte) (0x80 | payload);
        } else {
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (payload >> 8);
            f[3] = (byte) payload;
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        System.arraycopy(mask, 0, f, header - 4, 4);
        for (int i = 0; i < payload; i++) {
            f[header + i] = (byte) (('a' + i % 26) ^ mask[i % 4]);
        }
        return f;
    }
}
