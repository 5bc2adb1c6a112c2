package io.jwtgate.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends one {@link Reply} to one request, on the channel's event loop. Created per request by
 * {@link BackendHandler}, which it calls back when the connection may read the next request.
 *
 * <p>Every buffer it allocates is handed to {@code write}, which takes ownership; none is kept.
 */
final class ReplyWriter {

    /** What the handler does once the reply is done. */
    interface Continuation {
        /** The reply was sent and the connection stays open: read the next request. */
        void readNext();

        /** The reply is {@link Reply#never()}: read and drop everything from now on. */
        void discardRest();
    }

    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String OCTETS = "application/octet-stream";

    private final ChannelHandlerContext ctx;
    private final RecordedRequest request;
    private final HttpVersion version;
    private final boolean headRequest;
    private final boolean clientKeepAlive;
    private final Continuation continuation;

    ReplyWriter(ChannelHandlerContext ctx, RecordedRequest request, HttpVersion version, boolean clientKeepAlive,
            Continuation continuation) {
        this.ctx = ctx;
        this.request = request;
        this.version = version;
        this.headRequest = "HEAD".equals(request.method());
        this.clientKeepAlive = clientKeepAlive;
        this.continuation = continuation;
    }

    void write(Reply reply) {
        switch (reply.kind) {
            case ECHO -> fixed(reply, Json.echo(request).getBytes(UTF_8), "application/json");
            case FIXED -> fixed(reply, reply.body, reply.body.length > 0 ? TEXT : null);
            case CHUNKED -> chunked(reply);
            case STREAM -> stream(reply, false);
            case STREAM_CHUNKED -> stream(reply, true);
            case CLOSE_MID_BODY -> closeMidBody(reply);
            case DELAY -> ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    write(reply.inner);
                }
            }, reply.delay.toNanos(), TimeUnit.NANOSECONDS);
            case RESET -> {
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                ctx.close();
            }
            case CLOSE -> ctx.close();
            case GARBAGE -> {
                // Written from the codec's context so the bytes bypass the HTTP encoder.
                ByteBuf garbage = Unpooled.copiedBuffer("not http at all\r\n\r\n", US_ASCII);
                ctx.pipeline().context(HttpServerCodec.class).writeAndFlush(garbage)
                        .addListener(ChannelFutureListener.CLOSE);
            }
            case NEVER -> continuation.discardRest();
            default -> throw new IllegalStateException("unknown reply kind: " + reply.kind);
        }
    }

    private void fixed(Reply reply, byte[] body, String contentType) {
        ByteBuf content = headRequest ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(version, status(reply), content);
        boolean keepAlive = prepare(res, reply, body.length, contentType);
        finish(ctx.writeAndFlush(res), keepAlive);
    }

    private void chunked(Reply reply) {
        HttpResponse res = new DefaultHttpResponse(version, status(reply));
        boolean keepAlive = prepare(res, reply, -1, TEXT);
        ctx.write(res);
        if (!headRequest) {
            for (String chunk : reply.chunks) {
                if (!chunk.isEmpty()) {
                    ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(chunk, UTF_8)));
                }
            }
        }
        finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
    }

    private void stream(Reply reply, boolean chunked) {
        HttpResponse res = new DefaultHttpResponse(version, status(reply));
        boolean keepAlive = prepare(res, reply, chunked ? -1 : reply.length, OCTETS);
        ctx.writeAndFlush(res);
        long length = headRequest ? 0 : reply.length;
        new Pump(length, () -> finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive)).next();
    }

    private void closeMidBody(Reply reply) {
        HttpResponse res = new DefaultHttpResponse(version, status(reply));
        prepare(res, reply, reply.length, OCTETS);
        ctx.writeAndFlush(res);
        new Pump(headRequest ? 0 : reply.sent, ctx::close).next();
    }

    /**
     * Adds the reply's headers and the framing and connection headers it did not set itself.
     *
     * @param contentLength the body length, or -1 for a chunked (HTTP/1.1) or close-delimited (HTTP/1.0) body
     * @return whether the connection stays open after this reply
     */
    private boolean prepare(HttpResponse res, Reply reply, long contentLength, String contentType) {
        HttpHeaders h = res.headers();
        for (Map.Entry<String, String> e : reply.headers) {
            h.add(e.getKey(), e.getValue());
        }
        boolean keepAlive = clientKeepAlive && !replyAsksClose(reply);
        if (contentType != null && !reply.hasHeader("Content-Type")) {
            h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        boolean bodyless = reply.status < 200 || reply.status == 204 || reply.status == 304;
        if (!bodyless && !reply.hasHeader("Content-Length") && !reply.hasHeader("Transfer-Encoding")) {
            if (contentLength >= 0) {
                h.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
            } else if (version == HttpVersion.HTTP_1_1) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                keepAlive = false; // HTTP/1.0 has no chunking: the body ends when the connection does
            }
        }
        if (!reply.hasHeader("Connection")) {
            if (!keepAlive) {
                h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (version == HttpVersion.HTTP_1_0) {
                h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        return keepAlive;
    }

    private static boolean replyAsksClose(Reply reply) {
        for (Map.Entry<String, String> e : reply.headers) {
            if (e.getKey().equalsIgnoreCase("Connection")
                    && e.getValue().toLowerCase(Locale.ROOT).contains("close")) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponseStatus status(Reply reply) {
        return HttpResponseStatus.valueOf(reply.status);
    }

    private void finish(ChannelFuture lastWrite, boolean keepAlive) {
        lastWrite.addListener(f -> {
            if (f.isSuccess() && keepAlive) {
                continuation.readNext();
            } else {
                ctx.close();
            }
        });
    }

    /**
     * Writes a pseudo-random body in {@link Reply#STREAM_PIECE} pieces, each only after the previous write completed,
     * so at most one piece is in flight (backpressure without buffering). Then runs {@code done}.
     */
    private final class Pump {
        private final PseudoRandomBytes bytes = new PseudoRandomBytes();
        private final byte[] scratch;
        private final Runnable done;
        private long left;

        Pump(long length, Runnable done) {
            this.left = length;
            this.done = done;
            this.scratch = new byte[(int) Math.min(Reply.STREAM_PIECE, length)];
        }

        void next() {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (left == 0) {
                done.run();
                return;
            }
            int n = (int) Math.min(scratch.length, left);
            bytes.nextBytes(scratch, 0, n);
            left -= n;
            ByteBuf piece = ctx.alloc().buffer(n).writeBytes(scratch, 0, n);
            ctx.writeAndFlush(new DefaultHttpContent(piece)).addListener(f -> {
                if (f.isSuccess()) {
                    next();
                } else {
                    ctx.close();
                }
            });
        }
    }
}
