package io.jwtgate.core.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts bytes received since the last request head was decoded, so that a graceful shutdown does not close a
 * connection whose request is half-way in. First in the pipeline but for the PROXY protocol reader, whose header is
 * no request (before TLS, which only adds bytes); one instance per channel.
 */
final class ReadActivity extends ChannelInboundHandlerAdapter {

    private final Runnable received;
    private long sinceRequest;

    /** {@code received} runs whenever bytes arrive (a connection waiting for a request starts reading one). */
    ReadActivity(Runnable received) {
        this.received = received;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b && b.isReadable()) {
            received.run();
            sinceRequest += b.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    long sinceRequest() {
        return sinceRequest;
    }

    void requestStarted() {
        sinceRequest = 0;
    }
}
