package io.jwtgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last handler of an upstream connection, after {@link UpstreamResponseDecoder}: hands every decoded message to
 * the request that uses the connection, or, while the connection sits idle in its {@link UpstreamPool}, closes it on
 * anything the upstream sends (data or end of stream), as nginx's keepalive module does. One instance per channel;
 * it also identifies the connection (its peer, its pool, how many requests it carried).
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    /** The request using this connection. Receives ownership of every message. */
    interface Listener {
        void onUpstreamMessage(Object msg);

        void onUpstreamReadComplete();

        void onUpstreamClosed();

        void onUpstreamError(Throwable cause);
    }

    final Peer peer;
    final UpstreamPool pool;
    final UpstreamResponseDecoder decoder;
    /** The connection's byte counts. */
    final WireCounter wire;
    /** The TLS context and SNI name of the connection ({@code null} for plain TCP): part of the pool's key. */
    final UpstreamTls tls;
    final String tlsName;
    /** The open connections of the group, counted while this one is open. */
    private final LongAdder connections;
    private Channel channel;
    private Listener listener;
    int requests;
    long idleSinceNanos;
    boolean idle;

    UpstreamHandler(Peer peer, UpstreamPool pool, UpstreamResponseDecoder decoder, WireCounter wire, UpstreamTls tls,
            String tlsName, LongAdder connections) {
        this.peer = peer;
        this.pool = pool;
        this.decoder = decoder;
        this.wire = wire;
        this.tls = tls;
        this.tlsName = tlsName;
        this.connections = connections;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    void attach(Listener l) {
        listener = l;
        idle = false;
    }

    void detach() {
        listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Listener l = listener;
        if (l == null) {
            // an idle connection must not receive anything: the upstream closed it or misbehaves
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        l.onUpstreamMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Listener l = listener;
        if (l != null) {
            l.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connections.increment();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connections.decrement();
        if (idle && pool != null) {
            pool.evict(this);
        }
        Listener l = listener;
        listener = null;
        if (l != null) {
            l.onUpstreamClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Listener l = listener;
        if (l != null) {
            l.onUpstreamError(cause);
        }
        ctx.close();
    }
}
