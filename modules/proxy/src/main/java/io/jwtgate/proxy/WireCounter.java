package io.jwtgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

/**
 * Counts the bytes an upstream connection received and sent over its life (with TLS, the plain text, as nginx
 * counts them), for {@code $upstream_bytes_received}, {@code $upstream_bytes_sent} and
 * {@code $upstream_response_length}. Sits after the TLS handler and before {@link UpstreamResponseDecoder}, and stays
 * when an upgraded connection becomes a tunnel. One instance per channel; read on its event loop only.
 */
final class WireCounter extends ChannelDuplexHandler {

    long received;
    long sent;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            received += b.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            sent += b.readableBytes();
        } else if (msg instanceof FileRegion f) {
            sent += f.count() - f.transferred();
        }
        ctx.write(msg, promise);
    }
}
