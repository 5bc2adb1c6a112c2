package io.jwtgate.core.server;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.http.BodyFilter;
import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.http.Transport;
import io.jwtgate.core.http.WireFacts;
import io.jwtgate.core.tls.ClientTls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request on a connection: the request as modules see it ({@link HttpExchange}), the phase engine's
 * state, and the network API the proxy uses to stream the body and the response. Lives on its connection's event
 * loop only.
 */
public final class Exchange extends BaseExchange implements Downstream {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final HttpConnection conn;
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;

    private int status;
    private long bytesSent;
    private boolean headSent;
    private boolean finished;
    private boolean keepAlive;
    private final Hooks closeListeners = new Hooks("close listener");
    private final Hooks cleanups = new Hooks("request cleanup");
    private InetSocketAddress clientAddress;

    private final ClientBody body;
    /** The body filters the header filters installed on this response, if any. */
    private BodyFilterChain filters;
    /** Writes the body through {@link #filters}; null when the body goes out as it is. */
    private FilteredWriter filtered;
    private final ExchangeWire wire;

    Exchange(HttpConnection conn, ChannelHandlerContext ctx, HttpRuntime runtime, HttpRequest request, Route route,
            boolean keepAlive) {
        super(runtime, route, false);
        this.conn = conn;
        this.ctx = ctx;
        this.request = request;
        this.keepAlive = keepAlive;
        this.body = new ClientBody(request.headers());
        this.wire = new ExchangeWire(conn, ctx.channel(), request);
    }

    @Override
    int depth() {
        return 0;
    }

    /** nginx's keep-alive limits, checked against each location the request comes to: they only ever close. */
    @Override
    void updateLocationConfig() {
        CoreLocConf c = location().core();
        conn.sendTimeoutMs(c.sendTimeoutMs());
        // nginx's keepalive_disable: MSIE 4-6 close after a POST, Safari on Mac OS X after any request; the
        // User-Agent is read only when its answer could matter (by default: a POST)
        boolean msie6 = (c.keepaliveDisable() & CoreLocConf.KEEPALIVE_DISABLE_MSIE6) != 0
                && request.method() == HttpMethod.POST;
        boolean safari = (c.keepaliveDisable() & CoreLocConf.KEEPALIVE_DISABLE_SAFARI) != 0;
        if (keepAlive && (msie6 || safari)) {
            UserAgentFlags ua = UserAgentFlags.of(request.headers().getAll(HttpHeaderNames.USER_AGENT));
            if (msie6 && ua.msie6() || safari && ua.safari()) {
                keepAlive = false;
            }
        }
        if (keepAlive && (c.keepaliveTimeoutMs() == 0 || conn.requests() >= c.keepaliveRequests()
                || System.nanoTime() - conn.connectedAt() > TimeUnit.MILLISECONDS.toNanos(c.keepaliveTimeMs()))) {
            keepAlive = false;
        }
    }

    @Override
    Exchange main() {
        return this;
    }

    // ---- HttpExchange: request

    @Override
    public String method() {
        String redirected = special.redirectedMethod();
        return redirected != null ? redirected : request.method().name();
    }

    @Override
    public String requestUri() {
        return request.uri();
    }

    @Override
    public String protocol() {
        return request.protocolVersion().text();
    }

    @Override
    public List<String[]> headerEntries() {
        List<String[]> out = new ArrayList<>(request.headers().size());
        for (Map.Entry<String, String> e : request.headers()) {
            out.add(new String[] {e.getKey(), e.getValue()});
        }
        return out;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return clientAddress != null ? clientAddress : connectionAddress();
    }

    @Override
    public void setRemoteAddress(InetSocketAddress address) {
        clientAddress = address;
    }

    @Override
    public InetSocketAddress connectionAddress() {
        return (InetSocketAddress) ctx.channel().remoteAddress();
    }

    @Override
    public ProxyProtocolAddresses proxyProtocol() {
        return conn.proxyProtocol();
    }

    @Override
    public void onRequestEnd(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) ctx.channel().localAddress();
    }

    @Override
    public String scheme() {
        return conn.ssl() ? "https" : "http";
    }

    @Override
    public ClientTls tls() {
        return conn.tls();
    }

    @Override
    public String requestHost() {
        return route.host();
    }

    @Override
    public String host() {
        return route.host() != null ? route.host() : route.server().conf().primaryName();
    }

    @Override
    public boolean isSubrequest() {
        return false;
    }

    @Override
    public Executor eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return ctx.channel().eventLoop().schedule(task, delay, unit);
    }

    @Override
    public Downstream downstream() {
        return this;
    }

    @Override
    public WireFacts wire() {
        return wire;
    }

    // ---- phase engine

    @Override
    public void finish(int code) {
        if (code == 444 || code == 408 || code == 499) {
            // nginx closes without a response: 444 on request, 408 (client too slow) and 499 (client gone) as
            // ngx_http_finalize_request terminates such requests; the status is still logged
            status = code;
            keepAlive = false;
            complete(true);
            return;
        }
        sendResponse(code, special.responseFor(code));
    }

    @Override
    void disableKeepAlive() {
        keepAlive = false;
    }

    // ---- answering

    @Override
    public int status() {
        return status != 0 ? status : special.statusToSend(0);
    }

    @Override
    public long bodyBytesSent() {
        return filtered != null ? filtered.written() : bytesSent;
    }

    @Override
    public void addBodyFilter(BodyFilter filter) {
        if (filters == null) {
            filters = new BodyFilterChain();
        }
        filters.add(filter);
    }

    @Override
    public boolean bodyFiltered() {
        return filtered != null;
    }

    @Override
    public void sendResponse(int code, Response response) {
        if (headSent || finished) {
            log.error("response already started, cannot send {}", code);
            return;
        }
        Response r = StatusPages.signed(response, location().core().serverTokens());
        ByteBuf body = headerOnly() || r.body().length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body());
        int sent = special.statusToSend(code);
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, StatusPages.status(sent),
                body);
        HttpHeaders h = resp.headers();
        String type = special.contentTypeOf(r.contentType());
        if (type != null && sent != 204) {
            // nginx's header filter drops the type of a 204 (one an error page's =204 gave)
            h.set(HttpHeaderNames.CONTENT_TYPE, type);
        }
        if (sent != 204 && sent != 304) {
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        }
        for (String[] kv : r.headers()) {
            h.add(kv[0], WireText.encode(kv[1]));
        }
        if (SpecialResponse.closesConnection(code)) {
            keepAlive = false;
        }
        prepareHead(resp);
        if (filtered != null) {
            // nginx filters its own pages too (a gzipped 404): the head goes first, the page through the filters
            filtered.head(new DefaultHttpResponse(resp.protocolVersion(), resp.status(), resp.headers()));
            filtered.write(body, true).addListener((ChannelFutureListener) f -> complete(!f.isSuccess()));
            return;
        }
        bytesSent = body.readableBytes();
        ctx.writeAndFlush(resp).addListener((ChannelFutureListener) f -> complete(!f.isSuccess()));
    }

    /**
     * Stamps status (an error page's, if one fixed it), standard headers and keep-alive on a response head, puts the
     * headers an error page kept first, and runs the header filters.
     */
    private void prepareHead(HttpResponse resp) {
        int sent = special.statusToSend(resp.status().code());
        if (sent != resp.status().code()) {
            resp.setStatus(StatusPages.status(sent));
        }
        status = resp.status().code();
        headSent = true;
        HttpHeaders h = resp.headers();
        special.putKeptHeadersFirst(h);
        // an upstream's own, passed on by proxy_pass_header, stays instead, as nginx's r->headers_out.server and date
        if (!h.contains(HttpHeaderNames.SERVER)) {
            h.set(HttpHeaderNames.SERVER, StatusPages.server(location().core().serverTokens()));
        }
        if (!h.contains(HttpHeaderNames.DATE)) {
            h.set(HttpHeaderNames.DATE, HttpDates.now());
        }
        if (!runtime.headerFilters().isEmpty()) {
            NettyResponseHeaders view = new NettyResponseHeaders(h, code -> {
                status = code;
                resp.setStatus(StatusPages.status(code));
            });
            for (var f : runtime.headerFilters()) {
                f.filter(this, status, view);
            }
        }
        if (conn.closing()) {
            keepAlive = false;
        }
        if (filters != null) {
            filterBody(h);
        }
        boolean framed = h.contains(HttpHeaderNames.CONTENT_LENGTH)
                || h.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)
                || resp instanceof FullHttpResponse && filtered == null || status == 204 || status == 304
                || headerOnly();
        if (!framed) {
            keepAlive = false;
        }
        if (!body.started() && body.present() && expectsContinue()) {
            // answered before anyone asked for the body: the client, still waiting for 100 Continue, may now never
            // send it, and its next request must not be read as this one's body. nginx sends 100 Continue and reads
            // the body to discard it; closing wastes no bytes and leaves nothing to misread
            keepAlive = false;
        }
        if (status == 101) {
            keepAlive = false; // nginx's header filter: a 101 says "upgrade" whatever the keep-alive state
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else {
            h.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        }
        long kaHeader = location().core().keepaliveHeaderSeconds();
        if (keepAlive && kaHeader >= 0) {
            h.set(HttpHeaderNames.KEEP_ALIVE, "timeout=" + kaHeader);
        }
        wire.headSent(h);
        if (headerOnly()) {
            // nginx's header_only: the head keeps the framing its handler set, the body a handler streams is dropped
            ctx.pipeline().get(ResponseEncoder.class).headerOnly(resp);
        }
    }

    /**
     * Sets up the body filters the header filters installed. A filter that changes the length removed
     * {@code Content-Length}, so an HTTP/1.1 body is then chunked (HTTP/1.0: ended by closing, as nginx). HEAD sends
     * no body: the filters are closed at once, the head stays as they left it (nginx's gzip on HEAD).
     */
    private void filterBody(HttpHeaders h) {
        if (headerOnly()) {
            filters.close();
            return;
        }
        filtered = new FilteredWriter(ctx, filters, this::filterFailed);
        if (!h.contains(HttpHeaderNames.CONTENT_LENGTH)
                && !h.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)
                && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
    }

    /** A body filter failed mid-response: as nginx, the response is cut off and the connection closed. */
    private void filterFailed(String reason) {
        log.error("{}{}", reason, ErrorContext.of(this));
        abort(reason);
    }

    private boolean headerOnly() {
        return request.method() == HttpMethod.HEAD;
    }

    // ---- network API for content handlers that stream (the proxy)

    @Override
    public HttpRequest request() {
        return request;
    }

    Channel channel() {
        return ctx.channel();
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
        if (expectsContinue()) {
            // nginx's ngx_http_test_expect: the client waits for this before it sends the body
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        requestBody();
    }

    /** An HTTP/1.1 request with {@code Expect: 100-continue}: its client waits for our go before the body. */
    private boolean expectsContinue() {
        return request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && request.headers().containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
    }

    @Override
    public void requestBody() {
        if (body.request()) {
            conn.drain();
        }
    }

    boolean wantsBody() {
        return body.wanted();
    }

    boolean bodyDone() {
        return body.done();
    }

    /** Takes one piece of body from the connection; called only when {@link #wantsBody()}. */
    void deliverBody(HttpContent content) {
        if (!body.deliver(content, location().core().clientMaxBodySize())) {
            keepAlive = false;
        }
    }

    /** The client did not send the body in time. */
    void bodyTimedOut() {
        if (!body.timedOut()) {
            keepAlive = false;
            if (location().core().resetTimedoutConnection()) {
                conn.resetOnClose();
            }
        }
    }

    @Override
    public ChannelFuture sendHead(HttpResponse head) {
        String kept = special.keptContentType();
        if (kept != null && !head.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, kept);
        }
        prepareHead(head);
        if (filtered != null) {
            filtered.head(head);
            return ctx.newSucceededFuture();
        }
        return ctx.write(head);
    }

    @Override
    public ChannelFuture sendBody(HttpContent content) {
        if (filtered != null) {
            return filtered.write(content.content(), false);
        }
        if (!headerOnly()) {
            bytesSent += content.content().readableBytes();
        }
        return ctx.writeAndFlush(content);
    }

    /**
     * Zero-copy on a plain connection: a {@link FileSegment} that Netty hands to {@code sendfile(2)}; the buffered
     * path ({@link Downstream#sendFile}'s default) under TLS, with a body filter or without {@code zeroCopy}. A
     * {@code HEAD} response sends nothing.
     */
    @Override
    public Future<Void> sendFile(FileChannel file, long position, long count, boolean zeroCopy) {
        if (headerOnly()) {
            return loop().newSucceededFuture(null);
        }
        if (!zeroCopy || filtered != null || ctx.pipeline().get(SslHandler.class) != null) {
            // a body filter (gzip, charset) needs the bytes, as nginx turns sendfile off for it
            return Downstream.super.sendFile(file, position, count, false);
        }
        bytesSent += count;
        return ctx.writeAndFlush(new FileSegment(file, position, count));
    }

    @Override
    public void endResponse(LastHttpContent last) {
        if (filtered != null) {
            // trailers were cleared by the proxy, as nginx passes none
            filtered.write(last.content(), true).addListener((ChannelFutureListener) f -> complete(!f.isSuccess()));
            return;
        }
        if (!headerOnly()) {
            bytesSent += last.content().readableBytes();
        }
        ctx.writeAndFlush(last).addListener((ChannelFutureListener) f -> complete(!f.isSuccess()));
    }

    /**
     * Ends the request without completing the response (the upstream died mid-body): the connection is closed so the
     * client cannot take a truncated body for a whole one.
     */
    @Override
    public void abort(String reason) {
        log.info("closing client connection: {}", reason);
        keepAlive = false;
        ctx.flush();
        complete(true);
    }

    @Override
    public boolean headSent() {
        return headSent;
    }

    @Override
    public Channel upgrade(HttpResponse head, ChannelHandler relay) {
        prepareHead(head);
        ctx.write(head);
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        conn.upgrade(relay, n -> bytesSent += n);
        return ctx.channel();
    }

    @Override
    public void onClose(Runnable listener) {
        closeListeners.add(listener);
    }

    boolean finished() {
        return finished;
    }

    /** The client connection went away while this request was in progress. */
    void connectionClosed() {
        if (finished) {
            return;
        }
        body.closed();
        if (status == 0) {
            status = 499;
        }
        closeListeners.run();
        complete(true);
    }

    private void complete(boolean close) {
        if (finished) {
            return;
        }
        finished = true;
        if (filtered != null) {
            filtered.close();
        }
        if (filters != null) {
            filters.close(); // every end: the filters' native memory (a Deflater's) is freed here
        }
        try {
            runtime.engine().log(this);
        } catch (RuntimeException e) {
            log.error("log phase failed", e);
        }
        cleanups.run();
        conn.exchangeDone(this, keepAlive && !close);
    }
}
