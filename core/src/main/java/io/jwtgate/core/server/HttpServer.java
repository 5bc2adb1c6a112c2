package io.jwtgate.core.server;

import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.ListenGroup;
import io.jwtgate.core.http.SocketOptions;
import io.jwtgate.core.http.Transport;
import io.jwtgate.core.module.ConnectionCounts;
import io.jwtgate.core.module.HttpInit;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening sockets and the configuration they serve. A reload swaps the {@link HttpRuntime} atomically:
 * requests already running keep theirs, sockets no longer configured are closed, new ones are bound, and the
 * replaced configuration's resources stop once its last request has ended ({@link ReplacedRuntimes}).
 */
public final class HttpServer {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.server");

    private final Transport transport;
    private final EventLoopGroup workers;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    /** Connections accepted since start-up: the last one's serial number ({@code $connection}). */
    private final AtomicLong accepted = new AtomicLong();
    private final Map<InetSocketAddress, Channel> listeners = new LinkedHashMap<>();
    /** Each event loop's connections; the map is filled once, each value is touched only on its loop. */
    private final Map<EventExecutor, LoopConnections> loops = new IdentityHashMap<>();
    private final ReplacedRuntimes replaced;
    private volatile HttpRuntime runtime;
    /** The connection counts, the same in every configuration of one loader: taken from the first. */
    private volatile ConnectionCounts counts;
    private volatile boolean quitting;
    private volatile int workerConnections = Integer.MAX_VALUE;
    private boolean stopped;

    public HttpServer(Transport transport, EventLoopGroup workers) {
        this.transport = transport;
        this.workers = workers;
        for (EventExecutor loop : workers) {
            loops.put(loop, new LoopConnections());
        }
        this.replaced = new ReplacedRuntimes(connections, loops.keySet());
    }

    HttpRuntime runtime() {
        return runtime;
    }

    boolean quitting() {
        return quitting;
    }

    /**
     * Admits a new connection on its event loop, closing connections that wait for a request when that loop's
     * {@code worker_connections} run short; {@code null} when every slot is taken by a request in progress.
     */
    LoopConnections.Slot admit(Channel ch) {
        LoopConnections.Slot slot = loops.get(ch.eventLoop()).admit(ch, workerConnections, counts);
        if (slot != null) {
            connections.add(ch);
        }
        return slot;
    }

    /** {@code worker_connections}: the client connections each event loop serves at once. */
    public void workerConnections(int max) {
        this.workerConnections = max;
    }

    /** The event loops serving clients, for modules that open their own connections on them. */
    public EventLoopGroup workers() {
        return workers;
    }

    public Transport transport() {
        return transport;
    }

    /**
     * Binds every listen socket of {@code rt} and starts serving it, once its warm-ups have finished (or the bounded
     * wait for them ran out); on failure nothing stays bound.
     */
    public synchronized void start(HttpRuntime rt) throws InterruptedException {
        apply(rt);
    }

    /**
     * Serves a new configuration: runs its warm-ups, binds new sockets, then swaps, then closes the sockets it no
     * longer has.
     */
    public synchronized void reload(HttpRuntime rt) throws InterruptedException {
        apply(rt);
    }

    /**
     * Starts {@code rt}'s resources and its warm-ups ({@link WarmUps}), then binds its new sockets and swaps; when a
     * bind fails, nothing of {@code rt} stays bound or started.
     */
    private void apply(HttpRuntime rt) throws InterruptedException {
        if (counts == null) {
            counts = rt.connections();
        }
        for (HttpInit.Lifecycle l : rt.lifecycles()) {
            l.start();
        }
        Map<InetSocketAddress, Channel> added = new LinkedHashMap<>();
        try {
            WarmUps.await(rt, workers, transport);
            for (ListenGroup g : rt.listens()) {
                if (!listeners.containsKey(g.bind())) {
                    added.put(g.bind(), bind(g));
                }
            }
        } catch (Exception e) {
            for (Channel ch : added.values()) {
                ch.close().syncUninterruptibly();
            }
            ReplacedRuntimes.stop(rt);
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
        HttpRuntime old = runtime;
        runtime = rt;
        listeners.putAll(added);
        List<InetSocketAddress> gone = new ArrayList<>();
        for (InetSocketAddress a : listeners.keySet()) {
            if (rt.listens().stream().noneMatch(g -> g.bind().equals(a))) {
                gone.add(a);
            }
        }
        for (InetSocketAddress a : gone) {
            listeners.remove(a).close();
        }
        if (old != null) {
            replaced.add(old);
        }
    }

    private Channel bind(ListenGroup g) throws Exception {
        ServerBootstrap b = new ServerBootstrap()
                .group(workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, g.options().backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        LoopConnections.Slot slot = admit(ch);
                        if (slot == null) {
                            ch.close();
                            return;
                        }
                        // the socket outlives reloads: TLS, PROXY protocol and limits are the running configuration's
                        ListenGroup now = current(g);
                        HttpConnection conn = new HttpConnection(HttpServer.this, slot, g.bind(), now.ssl(),
                                accepted.incrementAndGet());
                        if (now.serversFor(ch.localAddress()).proxyProtocol()) {
                            ch.pipeline().addLast("proxy-protocol", new ProxyProtocolReader(now.ssl(),
                                    conn::proxyProtocol, listening(g, ch)));
                        }
                        ch.pipeline().addFirst("send-timeout", new SendTimeout(conn::sendTimedOut));
                        ch.pipeline().addLast("activity", new ReadActivity(slot::reading));
                        if (now.ssl()) {
                            ch.pipeline().addLast("tls", new TlsOrPlain(now.tls()::newHandler));
                        }
                        ch.pipeline()
                                .addLast("sent", new SentBytes())
                                .addLast("decoder", decoder(now, ch.localAddress()))
                                .addLast("encoder", new ResponseEncoder())
                                .addLast("connection", conn);
                    }
                });
        socketOptions(b, g);
        try {
            Channel ch = b.bind(g.bind()).sync().channel();
            log.info(ErrorLogLevel.NOTICE.marker(), "listening on {}",
                    NetUtil.toSocketAddressString((InetSocketAddress) ch.localAddress()));
            return ch;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // sync() rethrows the bind's IOException undeclared; the words are nginx's
            throw new IllegalStateException("bind() to " + NetUtil.toSocketAddressString(g.bind()) + " failed ("
                    + Errno.describe(e) + ")", e);
        }
    }

    /**
     * The {@code listen} parameters' socket options. Those only the epoll transport can set ({@code reuseport},
     * {@code deferred}, {@code fastopen=}) are logged once as without effect on NIO (docs/configuration.md#listen).
     */
    private void socketOptions(ServerBootstrap b, ListenGroup g) {
        SocketOptions o = g.options();
        if (o.rcvbuf() > 0) {
            b.option(ChannelOption.SO_RCVBUF, o.rcvbuf());
        }
        if (o.sndbuf() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, o.sndbuf());
        }
        if (o.keepalive() != null) {
            b.childOption(ChannelOption.SO_KEEPALIVE, o.keepalive());
        }
        boolean epoll = transport.isEpoll();
        if (epoll) {
            b.option(EpollChannelOption.SO_REUSEPORT, o.reuseport());
            if (o.deferred()) {
                // nginx: the client header timeout, in seconds
                b.option(EpollChannelOption.TCP_DEFER_ACCEPT, 60);
            }
            if (o.fastopen() >= 0) {
                b.option(EpollChannelOption.TCP_FASTOPEN, o.fastopen());
            }
        } else if (o.reuseport() || o.deferred() || o.fastopen() >= 0) {
            log.warn("{}: reuseport, deferred and fastopen have no effect with the NIO transport",
                    NetUtil.toSocketAddressString(g.bind()));
        }
        keepaliveProbes(b, o, epoll);
    }

    /** {@code so_keepalive=idle:interval:count}: the epoll options, or the JDK's on NIO (Linux). */
    private static void keepaliveProbes(ServerBootstrap b, SocketOptions o, boolean epoll) {
        if (o.keepIdle() > 0) {
            b.childOption(epoll ? EpollChannelOption.TCP_KEEPIDLE
                    : NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), o.keepIdle());
        }
        if (o.keepInterval() > 0) {
            b.childOption(epoll ? EpollChannelOption.TCP_KEEPINTVL
                    : NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), o.keepInterval());
        }
        if (o.keepCount() > 0) {
            b.childOption(epoll ? EpollChannelOption.TCP_KEEPCNT
                    : NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), o.keepCount());
        }
    }

    /** The running configuration's group for {@code bound}'s socket (a reload may have changed it). */
    private ListenGroup current(ListenGroup bound) {
        HttpRuntime rt = runtime;
        return rt == null ? bound
                : rt.listens().stream().filter(l -> l.bind().equals(bound.bind())).findFirst().orElse(bound);
    }

    /** A request decoder with the limits of the default server of the address {@code local}. */
    private static RequestDecoder decoder(ListenGroup group, InetSocketAddress local) {
        CoreLocConf core = group.serversFor(local).defaultServer().conf().conf().core();
        return new RequestDecoder(core.largeHeaderBufferSize(), core.maxHeaderSize());
    }

    /**
     * The listening socket as nginx names it in a connection's error lines: the configured address ({@code 0.0.0.0}
     * for a wildcard, whatever the socket's family) and the bound port.
     */
    private static String listening(ListenGroup g, SocketChannel ch) {
        return NetUtil.toSocketAddressString(new InetSocketAddress(g.bind().getAddress(),
                ch.parent().localAddress().getPort()));
    }

    /**
     * Asks every resource of the running configuration, and of replaced ones still serving requests, to reopen its
     * files (the access logs); does not wait.
     */
    public void reopen() {
        List<HttpRuntime> all = replaced.waiting();
        HttpRuntime running = runtime;
        if (running != null) {
            all.add(running);
        }
        for (HttpRuntime rt : all) {
            for (HttpInit.Lifecycle l : rt.lifecycles()) {
                l.reopen();
            }
        }
    }

    /** The addresses actually bound (port 0 in a configuration becomes a real port here). */
    public synchronized List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel ch : listeners.values()) {
            out.add((InetSocketAddress) ch.localAddress());
        }
        return out;
    }

    /**
     * Graceful shutdown ({@code -s quit}): stop accepting, let requests in progress finish (each connection closes
     * after its current response), and wait up to {@code timeout} for the last one.
     */
    public void quit(Duration timeout) {
        quitting = true;
        closeListeners();
        for (Channel ch : connections) {
            ch.eventLoop().execute(() -> {
                HttpConnection c = ch.pipeline().get(HttpConnection.class);
                if (c != null) {
                    c.closeIfIdle();
                }
            });
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stop();
    }

    /** Fast shutdown ({@code -s stop}): close everything now. */
    public void stop() {
        quitting = true;
        closeListeners();
        connections.close().awaitUninterruptibly(5000);
        List<HttpRuntime> all;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            all = replaced.close();
            if (runtime != null) {
                all.add(runtime);
            }
        }
        for (HttpRuntime rt : all) {
            ReplacedRuntimes.stop(rt);
        }
    }

    private synchronized void closeListeners() {
        for (Channel ch : listeners.values()) {
            ch.close().awaitUninterruptibly(5000);
        }
        listeners.clear();
    }
}
