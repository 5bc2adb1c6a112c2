package io.jwtgate.core.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

/**
 * Counts the bytes written to the client, as nginx's {@code c->sent} counts them: after the response encoder and
 * before TLS, so a TLS connection counts the plain bytes. One instance per channel.
 */
final class SentBytes extends ChannelOutboundHandlerAdapter {

    private long total;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            total += b.readableBytes();
        } else if (msg instanceof ByteBufHolder h) {
            total += h.content().readableBytes();
        } else if (msg instanceof FileRegion f) {
            total += f.count() - f.transferred();
        }
        ctx.write(msg, promise);
    }

    /** The bytes written since the connection began. */
    long total() {
        return total;
    }
}
