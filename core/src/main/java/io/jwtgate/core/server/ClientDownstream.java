package io.jwtgate.core.server;

import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.nio.channels.FileChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network API through which a content handler that streams (the proxy, static files) answers a client request:
 * the request body as the connection gives it ({@link ClientBody}), the response head as {@link ResponseHead} stamps
 * it, the body pieces, file segments and end as {@link ResponseBody} writes them, or a tunnel after a 101. One per
 * client request; lives on its connection's event loop.
 */
final class ClientDownstream implements Downstream {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final Exchange x;
    private final HttpConnection conn;
    private final ChannelHandlerContext ctx;
    private final ClientBody body;
    private final ResponseHead head;
    private final ResponseBody response;
    private final Hooks closeListeners = new Hooks("close listener");

    ClientDownstream(Exchange x, HttpConnection conn, ChannelHandlerContext ctx, ClientBody body, ResponseHead head,
            ResponseBody response) {
        this.x = x;
        this.conn = conn;
        this.ctx = ctx;
        this.body = body;
        this.head = head;
        this.response = response;
    }

    @Override
    public HttpRequest request() {
        return x.request();
    }

    @Override
    public EventLoop loop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public Transport transport() {
        return conn.transport();
    }

    @Override
    public boolean hasBody() {
        return body.present();
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    @Override
    public void readBody(BodyReader reader) {
        // a declared length over client_max_body_size was answered 413 by find config (BaseExchange.findConfig)
        body.start(reader);
        if (body.expectsContinue()) {
            // nginx's ngx_http_test_expect: the client waits for this before it sends the body
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        requestBody();
    }

    @Override
    public void requestBody() {
        if (body.request()) {
            conn.drain();
        }
    }

    @Override
    public ChannelFuture sendHead(HttpResponse resp) {
        String kept = x.special.keptContentType();
        if (kept != null && !resp.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, kept);
        }
        head.stamp(resp);
        return response.head(resp);
    }

    @Override
    public ChannelFuture sendBody(HttpContent content) {
        return response.body(content);
    }

    /**
     * Zero-copy on a plain connection: a {@link FileSegment} that Netty hands to {@code sendfile(2)}; the buffered
     * path ({@link Downstream#sendFile}'s default) under TLS, with a body filter or without {@code zeroCopy}. A
     * {@code HEAD} response sends nothing.
     */
    @Override
    public Future<Void> sendFile(FileChannel file, long position, long count, boolean zeroCopy) {
        if (x.headerOnly()) {
            return loop().newSucceededFuture(null);
        }
        if (!zeroCopy || response.filtered() || ctx.pipeline().get(SslHandler.class) != null) {
            // a body filter (gzip, charset) needs the bytes, as nginx turns sendfile off for it
            return Downstream.super.sendFile(file, position, count, false);
        }
        response.countSent(count);
        return ctx.writeAndFlush(new FileSegment(file, position, count));
    }

    @Override
    public void endResponse(LastHttpContent last) {
        response.end(last).addListener((ChannelFutureListener) f -> x.complete(!f.isSuccess()));
    }

    /**
     * Ends the request without completing the response (the upstream died mid-body): the connection is closed so the
     * client cannot take a truncated body for a whole one.
     */
    @Override
    public void abort(String reason) {
        log.info("closing client connection: {}", reason);
        head.closeConnection();
        ctx.flush();
        x.complete(true);
    }

    @Override
    public boolean headSent() {
        return head.sent();
    }

    @Override
    public Channel upgrade(HttpResponse resp, ChannelHandler relay) {
        head.stamp(resp);
        ctx.write(resp);
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        conn.upgrade(relay, response::countSent);
        return ctx.channel();
    }

    @Override
    public void onClose(Runnable listener) {
        closeListeners.add(listener);
    }

    /** The client connection went away: the listeners run (the proxy closes its upstream connection). */
    void connectionClosed() {
        closeListeners.run();
    }
}
