package io.jwtgate.core.server;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.http.BodyFilter;
import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.SubrequestOptions;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.http.Transport;
import io.jwtgate.core.http.WireFacts;
import io.jwtgate.core.tls.ClientTls;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
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
 * An in-process {@code GET} made by a module ({@code jwt_key_request}, {@code auth_request}) through the same
 * locations and phases as a client request, minus the access phase, as {@link SubrequestOptions} say: with only
 * {@code Host} or the parent's headers, never a body; the response body kept in memory up to a limit, or nothing but
 * the head. It lives on its parent's event loop and has no socket of its own; {@link Downstream} lets the proxy serve
 * it exactly as it serves a client. When the client goes away, or a header-only subrequest has its head, the close
 * listeners run, so the proxy inside closes its upstream connection.
 */
final class Subrequest extends BaseExchange implements Downstream {

    private final BaseExchange parent;
    private final HttpRequest request;
    private final SubrequestOptions options;
    private final Consumer<SubrequestResult> done;
    private final SubrequestBody body;
    private final Map<String, String> headers = new HashMap<>();
    private int status;
    private boolean headSent;
    private boolean finished;
    /** The proxy's listeners for the client going away; they also cancel a header-only subrequest's upstream. */
    private final Hooks closeListeners = new Hooks("close listener");
    private boolean cancelled;
    /** A streaming content handler asked for the {@link Downstream}. */
    private boolean relayed;

    Subrequest(BaseExchange parent, Route route, String uri, SubrequestOptions options,
            Consumer<SubrequestResult> done) {
        super(parent.runtime, route, true); // nginx's subrequests are internal: internal locations answer them
        this.parent = parent;
        this.options = options;
        this.done = done;
        HttpHeaders h;
        if (options.clientHeaders()) {
            h = parent.request().headers(); // shared and never changed, as nginx shares headers_in
        } else {
            h = new DefaultHttpHeaders();
            h.set(HttpHeaderNames.HOST, parent.host());
        }
        this.request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, h);
        this.body = new SubrequestBody(this, options, parent.main().channel().alloc());
    }

    @Override
    int depth() {
        return parent.depth() + 1;
    }

    @Override
    boolean finished() {
        return finished;
    }

    @Override
    BaseExchange main() {
        return parent.main();
    }

    @Override
    Channel channel() {
        return parent.main().channel();
    }

    /** Keep-alive is the client request's business; a subrequest has nothing else to update. */
    @Override
    void updateLocationConfig() {
    }

    // ---- HttpExchange: the request is a GET without a body, on the parent's connection

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
        return options.clientHeaders() ? parent.headerEntries()
                : List.<String[]>of(new String[] {"Host", parent.host()});
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
    public ClientTls tls() {
        return main().tls();
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
    public String requestHost() {
        return parent.requestHost();
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
        return status != 0 ? status : special.statusToSend(0);
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
    public void addBodyFilter(BodyFilter filter) {
        body.addFilter(filter);
    }

    @Override
    public boolean bodyFiltered() {
        return body.filtered();
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
        body.add(Unpooled.wrappedBuffer(r.body()), true);
        complete(true);
    }

    // ---- Downstream: no body to read; the response goes to memory

    @Override
    public Downstream downstream() {
        relayed = true;
        return this;
    }

    @Override
    public WireFacts wire() {
        return parent.wire();
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public EventLoop loop() {
        return main().downstream().loop();
    }

    @Override
    public Transport transport() {
        return main().downstream().transport();
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
        if (options.headerOnly()) {
            complete(true);
            // after the relay that called this is done with the head: a body still coming closes the upstream
            loop().execute(this::cancel);
        }
        return main().channel().newSucceededFuture();
    }

    @Override
    public ChannelFuture sendBody(HttpContent content) {
        body.add(content.content(), false);
        return main().channel().newSucceededFuture();
    }

    @Override
    public void endResponse(LastHttpContent last) {
        body.add(last.content(), true);
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
        if (closeListeners.isEmpty()) {
            main().downstream().onClose(this::cancel);
        }
        closeListeners.add(listener);
    }

    /**
     * The client went away, or a header-only subrequest needs no more: the listeners run once (the proxy drops its
     * upstream connection unless its response already ended), and {@code done} is not called any more.
     */
    private void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        finished = true;
        body.close();
        closeListeners.run();
    }

    /**
     * Records the response head, after the header filters, as nginx runs them for subrequests too ({@code add_header}
     * declines there).
     */
    private void head(int code, HttpHeaders h) {
        status = special.statusToSend(code);
        headSent = true;
        if (!runtime.headerFilters().isEmpty()) {
            NettyResponseHeaders view = new NettyResponseHeaders(h, changed -> status = changed);
            for (var f : runtime.headerFilters()) {
                f.filter(this, status, view);
            }
        }
        for (Map.Entry<String, String> e : h) {
            headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        if (options.headerOnly()) {
            body.close();
        }
    }

    private void complete(boolean whole) {
        if (finished) {
            return;
        }
        finished = true;
        body.close();
        done.accept(new SubrequestResult(status == 0 ? 502 : status, headers, body.bytes(),
                whole && body.whole(), relayed));
    }
}
