package io.jwtgate.testing;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.x backend for end-to-end tests: a Netty server on {@code 127.0.0.1} and an ephemeral port.
 *
 * <p>It records every request ({@link #requests()}, {@link #takeRequest(Duration)}) and answers each with the
 * {@link Reply} chosen by its {@link Behaviour}, which may be replaced at any time. Request bodies are streamed and
 * hashed, never aggregated. HTTP/1.1 keep-alive, {@code Connection: close}, pipelining, {@code Expect: 100-continue}
 * and HTTP/1.0 are honoured. A malformed request gets a 400 and the connection is closed; it is not recorded.
 *
 * <pre>{@code
 * try (TestBackend backend = TestBackend.start()) {
 *     RawResponse res = RawHttpClient.get(backend.port(), "/hello");
 *     assertThat(backend.takeRequest(Duration.ofSeconds(5)).uri()).isEqualTo("/hello");
 * }
 * }</pre>
 *
 * <p>Limits of the request decoder: request line 64 KiB, header block 1 MiB; the gateway's own limits are smaller.
 * {@link #close()} closes every connection and stops the event loop threads before returning.
 */
public final class TestBackend implements AutoCloseable {

    /** Longest request line accepted: {@value} bytes. */
    public static final int MAX_INITIAL_LINE = 64 * 1024;
    /** Largest header block accepted: {@value} bytes. */
    public static final int MAX_HEADER_SIZE = 1024 * 1024;

    private static final String THREAD_PREFIX = "jwtgate-test-backend";

    private final TrackingThreadFactory threads = new TrackingThreadFactory();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, threads, NioIoHandler.newFactory());
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> queue = new LinkedBlockingQueue<>();
    private volatile Behaviour behaviour;
    private Channel server;
    private boolean closed;

    private TestBackend(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    /** Starts a backend that answers every request with {@link Reply#echo()}. */
    public static TestBackend start() {
        return start(Behaviour.echo());
    }

    /** Starts a backend that answers with {@code behaviour}. */
    public static TestBackend start(Behaviour behaviour) {
        TestBackend backend = new TestBackend(requireNonNull(behaviour, "behaviour"));
        try {
            backend.bind();
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
        return backend;
    }

    private void bind() {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        int id = accepted.incrementAndGet();
                        connections.add(ch);
                        ch.closeFuture().addListener(f -> connections.remove(ch));
                        HttpDecoderConfig config = new HttpDecoderConfig()
                                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                                .setMaxHeaderSize(MAX_HEADER_SIZE);
                        ch.pipeline().addLast(new HttpServerCodec(config), new BackendHandler(TestBackend.this, id));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    /** Returns the port the backend listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Returns {@code "127.0.0.1:PORT"}, as used in an upstream or proxy_pass address. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /**
     * Replaces the behaviour for requests that complete from now on.
     *
     * @return this backend
     */
    public TestBackend behaviour(Behaviour behaviour) {
        this.behaviour = requireNonNull(behaviour, "behaviour");
        return this;
    }

    /** Sets {@link Behaviour#always(Reply) always(reply)}; see {@link #behaviour(Behaviour)}. */
    public TestBackend reply(Reply reply) {
        return behaviour(Behaviour.always(reply));
    }

    /** Returns the number of TCP connections accepted since start. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Returns the number of connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** Returns the number of requests recorded since start, including incomplete ones. */
    public int requestCount() {
        return requests.size();
    }

    /** Returns a snapshot of every request recorded since start, in order of completion. */
    public List<RecordedRequest> requests() {
        return List.copyOf(new ArrayList<>(requests));
    }

    /** Returns the most recently recorded request, or {@code null} if there is none. */
    public RecordedRequest lastRequest() {
        List<RecordedRequest> all = requests();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * Removes and returns the oldest request not yet taken, waiting up to {@code timeout} for one to arrive.
     *
     * @return the request, or {@code null} if none arrived in time
     */
    public RecordedRequest takeRequest(Duration timeout) {
        try {
            return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a request", e);
        }
    }

    Behaviour currentBehaviour() {
        return behaviour;
    }

    void record(RecordedRequest request) {
        requests.add(request);
        queue.add(request);
    }

    /** Closes the listener and every connection, and waits for the event loop threads to end. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (Channel ch : connections) {
            ch.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        threads.joinAll(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return "TestBackend(" + (server == null ? "unbound" : hostPort()) + ")";
    }

    /** Names event loop threads {@code jwtgate-test-backend-*} and remembers them so close() can join them. */
    private static final class TrackingThreadFactory implements ThreadFactory {
        private final ThreadFactory delegate = new DefaultThreadFactory(THREAD_PREFIX, true);
        private final List<Thread> created = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = delegate.newThread(r);
            created.add(t);
            return t;
        }

        void joinAll(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Thread t : created) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
