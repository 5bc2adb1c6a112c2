package io.jwtgate.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one connection's requests and answers each with the backend's current {@link Behaviour}.
 *
 * <p>Pipeline: {@code HttpServerCodec -> BackendHandler}. A body is hashed as it arrives, on the event loop, so it is
 * read no faster than it is consumed. From the end of a request until its reply is sent, {@code AUTO_READ} is off and
 * messages the codec had already decoded (pipelined requests) wait in a queue, so replies go out in order.
 *
 * <p>Stateful: one instance per channel. It consumes every message it receives and releases it, queued ones included.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter implements ReplyWriter.Continuation {

    private static final Logger log = LoggerFactory.getLogger(BackendHandler.class);

    private final TestBackend backend;
    private final int connectionId;
    private ChannelHandlerContext ctx;
    private HttpRequest current;
    private BodyDigest body;
    private boolean discarding;
    private boolean replying;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();

    BackendHandler(TestBackend backend, int connectionId) {
        this.backend = backend;
        this.connectionId = connectionId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (replying) {
            waiting.add(msg); // owned by the queue until handled
        } else {
            handle(msg);
        }
    }

    private void handle(Object msg) {
        try {
            if (discarding || !(msg instanceof HttpObject)) {
                return;
            }
            if (((HttpObject) msg).decoderResult().isFailure()) {
                badRequest(((HttpObject) msg).decoderResult().cause());
                return;
            }
            if (msg instanceof HttpRequest request) {
                current = request;
                body = new BodyDigest(RecordedRequest.BODY_KEEP_LIMIT);
                if (HttpUtil.is100ContinueExpected(request)) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                            Unpooled.EMPTY_BUFFER));
                }
            }
            if (msg instanceof HttpContent content && current != null) {
                for (ByteBuffer piece : content.content().nioBuffers()) {
                    body.update(piece);
                }
                if (msg instanceof LastHttpContent last) {
                    answer(last);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void answer(LastHttpContent last) {
        HttpRequest request = current;
        RecordedRequest recorded = record(headersOf(last.trailingHeaders().iteratorAsString()), true);
        Reply reply;
        try {
            reply = backend.currentBehaviour().reply(recorded);
        } catch (RuntimeException e) {
            log.warn("behaviour failed for {}", recorded, e);
            reply = Reply.status(500, "behaviour failed: " + e).header("Connection", "close");
        }
        replying = true;
        ctx.channel().config().setAutoRead(false);
        new ReplyWriter(ctx, recorded, request.protocolVersion(), HttpUtil.isKeepAlive(request), this).write(reply);
    }

    private RecordedRequest record(Headers trailers, boolean complete) {
        HttpRequest request = current;
        BodyDigest digest = body;
        current = null;
        body = null;
        RecordedRequest recorded = new RecordedRequest(connectionId, request.method().name(), request.uri(),
                request.protocolVersion().text(), headersOf(request.headers().iteratorAsString()), trailers,
                digest.length(), digest.sha256Hex(), digest.keptBytes(), complete);
        backend.record(recorded);
        return recorded;
    }

    private static Headers headersOf(Iterator<Map.Entry<String, String>> it) {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return Headers.of(list);
    }

    private void badRequest(Throwable cause) {
        log.debug("connection {}: malformed request: {}", connectionId, String.valueOf(cause));
        discarding = true;
        current = null;
        body = null;
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.BAD_REQUEST, Unpooled.EMPTY_BUFFER);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void readNext() {
        replying = false;
        Object msg;
        while (!replying && (msg = waiting.poll()) != null) {
            handle(msg);
        }
        if (!replying) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void discardRest() {
        discarding = true;
        readNext();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    private void releaseWaiting() {
        Object msg;
        while ((msg = waiting.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            record(Headers.empty(), false);
        }
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection {}: {}", connectionId, String.valueOf(cause));
        ctx.close();
    }
}
