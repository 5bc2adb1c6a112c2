package io.jwtgate.core.server;

import io.jwtgate.core.http.BodyFilter;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.WireFacts;
import io.jwtgate.core.tls.ClientTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
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
 * state, the response's head ({@link ResponseHead}) and body ({@link ResponseBody}), and the network API the proxy
 * uses to stream the body and the response ({@link ClientDownstream}). Lives on its connection's event loop only.
 */
public final class Exchange extends BaseExchange {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final HttpConnection conn;
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;

    private final ResponseHead head;
    private final ResponseBody response;
    private final ClientDownstream downstream;
    private boolean finished;
    private final Hooks cleanups = new Hooks("request cleanup");
    private InetSocketAddress clientAddress;

    private final ClientBody body;
    private final ExchangeWire wire;

    Exchange(HttpConnection conn, ChannelHandlerContext ctx, HttpRuntime runtime, HttpRequest request, Route route,
            boolean keepAlive) {
        super(runtime, route, false);
        this.conn = conn;
        this.ctx = ctx;
        this.request = request;
        this.body = new ClientBody(request);
        this.wire = new ExchangeWire(conn, ctx.channel(), request);
        this.response = new ResponseBody(ctx, headerOnly());
        this.head = new ResponseHead(this, conn, wire, response, keepAlive);
        this.downstream = new ClientDownstream(this, conn, ctx, body, head, response);
    }

    @Override
    int depth() {
        return 0;
    }

    /** The location's {@code send_timeout} and keep-alive limits ({@link ResponseHead#limitKeepAlive}). */
    @Override
    void updateLocationConfig() {
        CoreLocConf c = location().core();
        conn.sendTimeoutMs(c.sendTimeoutMs());
        head.limitKeepAlive(c);
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
        return conn.facts().proxyProtocol();
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
        return conn.facts().ssl() ? "https" : "http";
    }

    @Override
    public ClientTls tls() {
        return conn.facts().tls();
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
        return downstream;
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
            head.status(code);
            head.closeConnection();
            complete(true);
            return;
        }
        sendResponse(code, special.responseFor(code));
    }

    @Override
    void disableKeepAlive() {
        head.closeConnection();
    }

    // ---- answering

    @Override
    public int status() {
        return head.status() != 0 ? head.status() : special.statusToSend(0);
    }

    @Override
    public long bodyBytesSent() {
        return response.sent();
    }

    @Override
    public void addBodyFilter(BodyFilter filter) {
        response.addFilter(filter);
    }

    @Override
    public boolean bodyFiltered() {
        return response.filtered();
    }

    @Override
    public void sendResponse(int code, Response r) {
        if (head.sent() || finished) {
            log.error("response already started, cannot send {}", code);
            return;
        }
        response.whole(head.whole(code, r)).addListener((ChannelFutureListener) f -> complete(!f.isSuccess()));
    }

    /** A body filter failed mid-response: as nginx, the response is cut off and the connection closed. */
    void filterFailed(String reason) {
        log.error("{}{}", reason, ErrorContext.of(this));
        downstream.abort(reason);
    }

    /** nginx's {@code r->header_only}: the response to a {@code HEAD} has no body. */
    boolean headerOnly() {
        return request.method() == HttpMethod.HEAD;
    }

    // ---- the connection's side

    HttpRequest request() {
        return request;
    }

    @Override
    Channel channel() {
        return ctx.channel();
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    /** Answered while the client still waits for 100 Continue before it sends the body it announced. */
    boolean awaitsContinue() {
        return body.awaitsContinue();
    }

    boolean wantsBody() {
        return body.wanted();
    }

    boolean bodyDone() {
        return body.done();
    }

    /** Whether the client still sends the request body (it lingers on when the connection closes). */
    boolean bodyComing() {
        return body.coming();
    }

    /** Takes one piece of body from the connection; called only when {@link #wantsBody()}. */
    void deliverBody(HttpContent content) {
        if (!body.deliver(content, location().core().clientMaxBodySize())) {
            head.closeConnection();
        }
    }

    /** The client did not send the body in time. */
    void bodyTimedOut() {
        if (!body.timedOut()) {
            head.closeConnection();
            if (location().core().resetTimedoutConnection()) {
                conn.resetOnClose();
            }
        }
    }

    @Override
    boolean finished() {
        return finished;
    }

    /** The client connection went away while this request was in progress. */
    void connectionClosed() {
        if (finished) {
            return;
        }
        body.closed();
        if (head.status() == 0) {
            head.status(499);
        }
        downstream.connectionClosed();
        complete(true);
    }

    /** The request is over: logged, cleaned up, and the connection goes on with the next one or closes. */
    void complete(boolean close) {
        if (finished) {
            return;
        }
        finished = true;
        response.close();
        try {
            runtime.engine().log(this);
        } catch (RuntimeException e) {
            log.error("log phase failed", e);
        }
        cleanups.run();
        conn.exchangeDone(this, head.keepAlive() && !close, close);
    }
}
