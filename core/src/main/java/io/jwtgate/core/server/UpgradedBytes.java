package io.jwtgate.core.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import java.util.function.LongConsumer;

/**
 * The client side of an upgraded connection (after a {@code 101 Switching Protocols}): takes the response
 * encoder's place in the pipeline and counts the bytes written to the client as response body, as nginx counts a
 * tunnel's bytes in {@code $body_bytes_sent}. One instance per upgraded connection.
 */
final class UpgradedBytes extends ChannelOutboundHandlerAdapter {

    private final LongConsumer sent;

    private UpgradedBytes(LongConsumer sent) {
        this.sent = sent;
    }

    /**
     * Turns an HTTP pipeline into a byte tunnel: {@code relay} joins its end, the encoder is replaced by a counter of
     * {@code sent} bytes, and the request decoder leaves, handing the bytes it held undecoded on to {@code relay}.
     * Call after the 101 head went through the encoder.
     */
    static void install(ChannelPipeline p, ChannelHandler relay, LongConsumer sent) {
        p.addLast("tunnel", relay);
        p.replace(ResponseEncoder.class, "upgraded", new UpgradedBytes(sent));
        p.remove(RequestDecoder.class);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            sent.accept(b.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
