package io.jwtgate.proxy;

import io.jwtgate.core.conf.Errno;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The connecting part of a {@link ProxyRequest}: picks a peer with the group's balancer, takes a pooled connection
 * or opens one (and its TLS) on the client's event loop, and after a failure, or a response status
 * {@code proxy_next_upstream} names, moves on to the next peer as nginx's {@code ngx_http_upstream_next} does
 * ({@link NextUpstream}: the cases, {@code _tries}, {@code _timeout}, {@code non_idempotent}), as long as the body
 * can be sent again. A kept-alive connection the upstream had closed meanwhile is retried once on a fresh one,
 * without blaming the peer.
 *
 * <p>Lives on the client's event loop only.
 */
final class PeerConnector {

    private final ProxyRequest r;
    /** The balancer of the request's start, kept even if the peers change meanwhile. */
    private final Balancer balancer;
    private final Balancer.Selection selection;
    /** When the first peer was picked, for {@code proxy_next_upstream_timeout}. */
    private final long startNanos;

    private Peer peer;
    /** The series of {@link #peer}'s server. */
    private UpstreamMetrics.Server series;
    private Channel connecting;
    private boolean cached;
    private boolean staleRetried;
    /** The current attempt began sending the request (nginx's {@code u->request_sent}). */
    private boolean attemptSent;

    PeerConnector(ProxyRequest r) {
        this.r = r;
        this.balancer = r.local.balancer;
        Balancing b = r.group.balancing;
        byte[] key = b.kind == Balancing.Kind.IP_HASH ? b.clientAddress(r.hx) : b.key(r.hx);
        this.selection = balancer.start(key, r.conf.next().tries());
        this.startNanos = System.nanoTime();
    }

    /** The peer of the current attempt, or {@code null}. */
    Peer peer() {
        return peer;
    }

    /** Picks the next peer and connects to it; ends the request with 502 when none is left. */
    void connect() {
        attemptSent = false;
        peer = balancer.pick(selection);
        if (peer == null) {
            r.group.metrics.noLive.inc();
            r.states.begin(r.group.name, null);
            r.states.status(502);
            r.logError("no live upstreams", "connecting to upstream");
            r.finish(502);
            return;
        }
        series = r.group.metrics.of(peer);
        r.states.begin(peer.name(), series);
        if (r.local.pool != null) {
            UpstreamHandler h = r.local.pool.take(peer, r.tls, r.tlsName);
            if (h != null) {
                cached = true;
                use(h);
                return;
            }
        }
        open();
    }

    private void open() {
        cached = false;
        attemptSent = false;
        UpstreamPool pool = r.local.pool;
        LongAdder connections = r.group.metrics.connections;
        Peer p = peer;
        UpstreamTls t = r.tls;
        String tn = r.tlsName;
        long timeoutMs = r.conf.connectTimeoutMs();
        ChannelFuture f = new Bootstrap()
                .group(r.x.loop())
                .channel(r.x.transport().socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeoutMs, Integer.MAX_VALUE))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        UpstreamResponseDecoder decoder = new UpstreamResponseDecoder();
                        WireCounter wire = new WireCounter();
                        if (t != null) {
                            ch.pipeline().addLast("tls", t.newHandler(ch.alloc(), tn, p.address().getPort(),
                                    timeoutMs));
                        }
                        ch.pipeline().addLast("wire", wire).addLast("decoder", decoder)
                                .addLast("upstream", new UpstreamHandler(p, pool, decoder, wire, t, tn,
                                        connections));
                    }
                })
                .connect(p.address());
        connecting = f.channel();
        if (f.isDone()) {
            connected(f);
        } else {
            f.addListener((ChannelFutureListener) this::connected);
        }
    }

    private void connected(ChannelFuture f) {
        connecting = null;
        if (r.done) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            f.channel().close();
            Throwable cause = f.cause();
            if (cause instanceof ConnectTimeoutException) {
                next(ProxyRequest.Failure.TIMEOUT, "upstream timed out (110: Connection timed out)",
                        "connecting to upstream");
            } else {
                next(ProxyRequest.Failure.ERROR, "connect() failed (" + Errno.describe(cause) + ")",
                        "connecting to upstream");
            }
            return;
        }
        if (r.tls != null) {
            Channel ch = f.channel();
            connecting = ch;
            ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(g -> handshaken(ch, g));
            return;
        }
        use(f.channel().pipeline().get(UpstreamHandler.class));
    }

    /** The TLS handshake ended: a failure (certificate verification too) is handled as a connect error. */
    private void handshaken(Channel ch, Future<?> g) {
        if (connecting != ch) {
            ch.close(); // this attempt was given up meanwhile
            return;
        }
        connecting = null;
        if (r.done) {
            ch.close();
            return;
        }
        if (!g.isSuccess()) {
            ch.close();
            if (g.cause() instanceof SslHandshakeTimeoutException) {
                next(ProxyRequest.Failure.TIMEOUT, "upstream timed out (110: Connection timed out)",
                        "SSL handshaking to upstream");
            } else {
                next(ProxyRequest.Failure.ERROR, UpstreamTls.describe(g.cause(), r.tlsName),
                        "SSL handshaking to upstream");
            }
            return;
        }
        use(ch.pipeline().get(UpstreamHandler.class));
    }

    private void use(UpstreamHandler h) {
        attemptSent = true;
        r.states.connected(h);
        r.use(h);
    }

    /**
     * nginx's {@code ngx_http_upstream_next}: the attempt failed before the response head; tries again or ends the
     * request with 502 (504 after a timeout).
     */
    void next(ProxyRequest.Failure failure, String what, String stage) {
        UpstreamMetrics.Failure kind = switch (failure) {
            case TIMEOUT -> UpstreamMetrics.Failure.TIMEOUT;
            case INVALID_HEADER -> UpstreamMetrics.Failure.INVALID_HEADER;
            case ERROR -> attemptSent ? UpstreamMetrics.Failure.ERROR : UpstreamMetrics.Failure.CONNECT;
        };
        r.logError(what, stage);
        int status = failure == ProxyRequest.Failure.TIMEOUT ? 504 : 502;
        r.states.status(status);
        boolean wasCached = cached;
        r.dropConnection();
        if (wasCached && failure == ProxyRequest.Failure.ERROR && !staleRetried && r.body.replayable()) {
            // a kept-alive connection the upstream had closed: try once more on a fresh one, without blame
            staleRetried = true;
            r.states.begin(peer.name(), series);
            open();
            return;
        }
        series.failed(kind);
        balancer.free(selection, true);
        if (selection.tries > 0 && mayRetry(failure.nextCase)) {
            connect();
            return;
        }
        r.finish(status);
    }

    /**
     * nginx's {@code ngx_http_upstream_test_next}: a response head with a status {@code proxy_next_upstream} names
     * ({@code http_502} ...) goes to the next peer while one is left; 403 and 404 do not count against the peer.
     * Call before anything of the response went to the client.
     *
     * @return whether the request went on to the next peer (the response is to be dropped)
     */
    boolean nextOnStatus(int status) {
        int statusCase = NextUpstream.statusCase(status);
        if (statusCase == 0 || selection.tries <= 1 || !mayRetry(statusCase)) {
            return false;
        }
        r.states.status(status);
        r.dropConnection();
        boolean failed = status != 403 && status != 404;
        if (failed) {
            series.failed(status == 429 ? UpstreamMetrics.Failure.HTTP_429 : UpstreamMetrics.Failure.HTTP_5XX);
        }
        balancer.free(selection, failed);
        connect();
        return true;
    }

    /**
     * Whether {@code proxy_next_upstream} lets the request go on after a failure of {@code nextCase}: the case is
     * named (with {@code non_idempotent} too for a POST, LOCK or PATCH the failed attempt began to send), the body
     * can be sent again, and {@code proxy_next_upstream_timeout} has not passed.
     */
    private boolean mayRetry(int nextCase) {
        NextUpstream n = r.conf.next();
        int needed = nextCase;
        if (attemptSent && nonIdempotent(r.hx.method())) {
            needed |= NextUpstream.NON_IDEMPOTENT;
        }
        return (n.mask() & needed) == needed && r.body.replayable()
                && (n.timeoutMs() == 0 || System.nanoTime() - startNanos < n.timeoutMs() * 1_000_000);
    }

    private static boolean nonIdempotent(String method) {
        return method.equals("POST") || method.equals("LOCK") || method.equals("PATCH");
    }

    /** Gives up a connection still being made. */
    void cancel() {
        if (connecting != null) {
            connecting.close();
            connecting = null;
        }
    }

    /** Ends the current peer's attempt: {@code failed} counts against the peer. */
    void free(boolean failed) {
        if (peer != null) {
            balancer.free(selection, failed);
            peer = null;
        }
    }
}
