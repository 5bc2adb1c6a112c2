package io.jwtgate.core.server;

import io.jwtgate.core.http.WireConf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The end of a connection whose client may still be sending, as nginx ends it (its discarded request body, then
 * {@code ngx_http_set_lingering_close}): what the client sends is read and dropped, for at most
 * {@code lingering_time} in all and {@code lingering_timeout} between reads, so that the bytes it sends after a
 * response that closes the connection (a 413 to a large upload) do not make the kernel answer with a reset that
 * destroys the response before the client has read it
 * (docs/configuration.md#lingering_close-lingering_time-lingering_timeout).
 *
 * <p>First the rest of the request's body comes through the decoder and is dropped. At its end the connection closes,
 * unless {@code lingering_close} is {@code always}, or {@code on} and more bytes came after it; then the write side is
 * shut down (after TLS's close_notify) and raw bytes are dropped at the front of the pipeline until the client closes
 * or a time runs out. One per closing connection, created by {@link HttpConnection} and used on its event loop.
 */
final class LingeringClose {

    /** The connection handler's context: the body's rest arrives there. */
    private final ChannelHandlerContext ctx;
    private final WireConf conf;
    private final RequestDecoder decoder;
    private final long deadline;
    private boolean bodyLeft;
    private ScheduledFuture<?> timer;

    private LingeringClose(ChannelHandlerContext ctx, WireConf conf, RequestDecoder decoder, boolean bodyLeft) {
        this.ctx = ctx;
        this.conf = conf;
        this.decoder = decoder;
        this.bodyLeft = bodyLeft;
        this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(conf.lingeringTimeMs());
    }

    /**
     * How the connection of {@code x}, which ended without keep-alive, closes: lingering, or at once ({@code null}).
     * {@code queued} is what the connection received and nobody took; the decoder may hold more. Without
     * {@code bodyKnown} (a refused head) the request's body is not read, as its length is not known.
     */
    static LingeringClose after(Exchange x, ChannelHandlerContext ctx, Iterable<Object> queued,
            RequestDecoder decoder, boolean bodyKnown) {
        boolean bodyEndQueued = false;
        boolean more = decoder.buffered();
        for (Object m : queued) {
            if (bodyEndQueued) {
                more = true;
            } else if (m instanceof LastHttpContent) {
                bodyEndQueued = true;
            }
        }
        // as nginx, the body's rest is discarded whatever lingering_close says (ngx_http_discard_request_body)
        boolean bodyLeft = bodyKnown && x.bodyComing() && !bodyEndQueued;
        WireConf conf = x.location().core().wire();
        if (!bodyLeft && !wanted(conf, more)) {
            return null;
        }
        return new LingeringClose(ctx, conf, decoder, bodyLeft);
    }

    /** nginx's choice after the body: {@code always}, or {@code on} when the client sent more. */
    private static boolean wanted(WireConf conf, boolean more) {
        return conf.lingeringClose() == WireConf.LINGERING_ALWAYS
                || conf.lingeringClose() == WireConf.LINGERING_ON && more;
    }

    /** Starts, the response written or flushed. */
    void start() {
        if (bodyLeft) {
            readOn();
        } else {
            linger();
        }
    }

    /** A decoded message from the connection while the body's rest comes: dropped; the body's end decides. */
    void decoded(Object msg) {
        boolean end = msg instanceof LastHttpContent;
        boolean failed = msg instanceof HttpContent c && c.decoderResult().isFailure();
        ReferenceCountUtil.release(msg);
        if (!bodyLeft) {
            return; // a pipelined request after the body: the choice below has been made
        }
        if (failed) {
            close();
        } else if (end) {
            bodyLeft = false;
            if (wanted(conf, decoder.buffered())) {
                linger();
            } else {
                close();
            }
        }
    }

    /** A read from the connection ended: wait for the next one. */
    void readComplete() {
        if (bodyLeft) {
            readOn();
        }
    }

    /** The connection closed: nothing stays scheduled. */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void close() {
        stop();
        ctx.close();
    }

    /** Reads on, until {@code lingering_time} is over and for {@code lingering_timeout} at most. */
    private void readOn() {
        stop();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            ctx.close();
            return;
        }
        long wait = Math.min(TimeUnit.NANOSECONDS.toMillis(left), conf.lingeringTimeoutMs());
        timer = ctx.executor().schedule(() -> {
            ctx.close();
        }, wait, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    /** nginx's {@code ngx_http_set_lingering_close}: the write side shut down, then raw bytes dropped. */
    private void linger() {
        ctx.pipeline().addFirst("lingering", new Discard());
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        ChannelFuture written = ssl != null ? ssl.closeOutbound()
                : ctx.pipeline().firstContext().writeAndFlush(Unpooled.EMPTY_BUFFER);
        written.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() || !(ctx.channel() instanceof DuplexChannel ch)) {
                ctx.close();
                return;
            }
            ch.shutdownOutput();
        });
        readOn();
    }

    /** First in the pipeline while lingering: drops every byte read. */
    private final class Discard extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext c) {
            readOn();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            close();
        }
    }
}
