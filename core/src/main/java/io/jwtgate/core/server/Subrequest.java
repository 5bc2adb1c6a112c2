package io.jwtgate.core.server;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.http.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An in-process {@code GET} made by a module (jwt_key_request) through the same locations and phases as a client
 * request, minus the access phase, with its response kept in memory. It lives on its parent's event loop and has no
 * socket of its own; {@link Downstream} lets the proxy serve it exactly as it serves a client.
 */
final class Subrequest extends BaseExchange implements Downstream {

    private final BaseExchange parent;
    private final HttpRequest request;
    private final int maxBody;
    private final Consumer<SubrequestResult> done;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, String> headers = new HashMap<>();
    private boolean truncated;
    private int status;
    private boolean headSent;
    private boolean finished;

    Subrequest(BaseExchange parent, Route route, String uri, int maxBody, Consumer<SubrequestResult> done) {
        super(parent.runtime, route, true); // nginx's subrequests are internal: internal locations answer them
        this.parent = parent;
        this.maxBody = maxBody;
        this.done = done;
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.HOST, parent.host());
        this.request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, h);
    }

    @Override
    int depth() {
        return parent.depth() + 1;
    }

    @Override
    Exchange main() {
        return parent.main();
    }

    /** Keep-alive is the client request's business; a subrequest has nothing else to update. */
    @Override
    void updateLocationConfig() {
    }

    // ---- HttpExchange: the request is a GET with only a Host header, on the parent's connection

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String requestUri() {
        return request.uri();
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public List<String[]> headerEntries() {
        return List.<String[]>of(new String[] {"Host", parent.host()});
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return main().remoteAddress();
    }

    @Override
    public void setRemoteAddress(InetSocketAddress address) {
        main().setRemoteAddress(address);
    }

    @Override
    public InetSocketAddress connectionAddress() {
        return main().connectionAddress();
    }

    @Override
    public ProxyProtocolAddresses proxyProtocol() {
        return main().proxyProtocol();
    }

    @Override
    public void onRequestEnd(Runnable cleanup) {
        main().onRequestEnd(cleanup);
    }

    @Override
    public InetSocketAddress localAddress() {
        return parent.localAddress();
    }

    @Override
    public String scheme() {
        return parent.scheme();
    }

    @Override
    public String host() {
        return parent.host();
    }

    @Override
    public boolean isSubrequest() {
        return true;
    }

    @Override
    public Executor eventLoop() {
        return parent.eventLoop();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return main().schedule(task, delay, unit);
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public long bodyBytesSent() {
        return body.size();
    }

    @Override
    public void finish(int code) {
        sendResponse(code, special.responseFor(code));
    }

    @Override
    void disableKeepAlive() {
        // a subrequest has no connection of its own
    }

    @Override
    public void sendResponse(int code, Response r) {
        if (headSent || finished) {
            return;
        }
        HttpHeaders h = new DefaultHttpHeaders();
        if (r.contentType() != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        for (String[] kv : special.keptHeaders()) {
            h.add(kv[0], WireText.encode(kv[1]));
        }
        for (String[] kv : r.headers()) {
            h.add(kv[0], WireText.encode(kv[1]));
        }
        head(code, h);
        append(r.body(), r.body().length);
        complete(true);
    }

    // ---- Downstream: no body to read; the response goes to memory

    @Override
    public Downstream downstream() {
        return this;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public EventLoop loop() {
        return main().loop();
    }

    @Override
    public Transport transport() {
        return main().transport();
    }

    @Override
    public boolean hasBody() {
        return false;
    }

    @Override
    public long contentLength() {
        return 0;
    }

    @Override
    public void readBody(BodyReader reader) {
        reader.onBody(LastHttpContent.EMPTY_LAST_CONTENT, true);
    }

    @Override
    public void requestBody() {
        // a subrequest has no body
    }

    @Override
    public ChannelFuture sendHead(HttpResponse head) {
        head(head.status().code(), head.headers());
        return main().channel().newSucceededFuture();
    }

    @Override
    public ChannelFuture sendBody(HttpContent content) {
        try {
            collect(content.content());
        } finally {
            content.release();
        }
        return main().channel().newSucceededFuture();
    }

    @Override
    public void endResponse(LastHttpContent last) {
        try {
            collect(last.content());
        } finally {
            last.release();
        }
        complete(true);
    }

    @Override
    public void abort(String reason) {
        complete(false);
    }

    @Override
    public boolean headSent() {
        return headSent;
    }

    @Override
    public void onClose(Runnable listener) {
        main().onClose(listener);
    }

    /** Records the response head, after the header filters, as nginx runs them for subrequests too. */
    private void head(int code, HttpHeaders h) {
        status = special.statusToSend(code);
        headSent = true;
        if (!runtime.headerFilters().isEmpty()) {
            NettyResponseHeaders view = new NettyResponseHeaders(h);
            for (var f : runtime.headerFilters()) {
                f.filter(this, status, view);
            }
        }
        for (Map.Entry<String, String> e : h) {
            headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
    }

    private void collect(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n == 0 || truncated) {
            return;
        }
        byte[] bytes = new byte[n];
        buf.getBytes(buf.readerIndex(), bytes);
        append(bytes, n);
    }

    private void append(byte[] bytes, int n) {
        if (body.size() + n > maxBody) {
            truncated = true;
            return;
        }
        body.write(bytes, 0, n);
    }

    private void complete(boolean whole) {
        if (finished) {
            return;
        }
        finished = true;
        done.accept(new SubrequestResult(status == 0 ? 502 : status, headers, body.toByteArray(),
                whole && !truncated));
    }
}
