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

/**
 * The connecting part of a {@link ProxyRequest}: picks a peer with the group's balancer, takes a pooled connection
 * or opens one (and its TLS) on the client's event loop, and after a failure moves on to the next peer as nginx's
 * {@code ngx_http_upstream_next} does with the default {@code proxy_next_upstream error timeout}, as long as no
 * body byte was taken from the client. A kept-alive connection the upstream had closed meanwhile is retried once
 * on a fresh one, without blaming the peer.
 *
 * <p>Lives on the client's event loop only.
 */
final class PeerConnector {

    private final ProxyRequest r;
    private final Balancer.Selection selection;

    private Peer peer;
    private Channel connecting;
    private boolean cached;
    private boolean staleRetried;

    PeerConnector(ProxyRequest r) {
        this.r = r;
        this.selection = r.local.balancer.start();
    }

    /** The peer of the current attempt, or {@code null}. */
    Peer peer() {
        return peer;
    }

    /** Picks the next peer and connects to it; ends the request with 502 when none is left. */
    void connect() {
        peer = r.local.balancer.pick(selection);
        if (peer == null) {
            r.addAddr(r.group.name);
            r.addStatus(502);
            r.logError("no live upstreams", "connecting to upstream");
            r.finish(502);
            return;
        }
        r.addAddr(peer.name());
        if (r.local.pool != null) {
            UpstreamHandler h = r.local.pool.take(peer, r.tls, r.tlsName);
            if (h != null) {
                cached = true;
                r.use(h);
                return;
            }
        }
        open();
    }

    private void open() {
        cached = false;
        UpstreamPool pool = r.local.pool;
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
                        if (t != null) {
                            ch.pipeline().addLast("tls", t.newHandler(ch.alloc(), tn, p.address().getPort(),
                                    timeoutMs));
                        }
                        ch.pipeline().addLast("decoder", decoder)
                                .addLast("upstream", new UpstreamHandler(p, pool, decoder, t, tn));
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
        r.use(f.channel().pipeline().get(UpstreamHandler.class));
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
        r.use(ch.pipeline().get(UpstreamHandler.class));
    }

    /**
     * nginx's {@code ngx_http_upstream_next}: the attempt failed before the response head; tries again or ends the
     * request with 502 (504 after a timeout).
     */
    void next(ProxyRequest.Failure failure, String what, String stage) {
        r.logError(what, stage);
        int status = failure == ProxyRequest.Failure.TIMEOUT ? 504 : 502;
        r.addStatus(status);
        boolean wasCached = cached;
        r.dropConnection();
        boolean bodyTaken = !r.body.replayable();
        if (wasCached && failure == ProxyRequest.Failure.ERROR && !staleRetried && !bodyTaken) {
            // a kept-alive connection the upstream had closed: try once more on a fresh one, without blame
            staleRetried = true;
            r.addAddr(peer.name());
            open();
            return;
        }
        r.local.balancer.free(selection, true);
        if (failure != ProxyRequest.Failure.INVALID_HEADER && selection.tries > 0 && !bodyTaken) {
            connect();
            return;
        }
        r.finish(status);
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
            r.local.balancer.free(selection, failed);
            peer = null;
        }
    }
}
