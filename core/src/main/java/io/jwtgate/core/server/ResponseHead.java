package io.jwtgate.core.server;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.http.WireConf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;

/**
 * A client response's head as nginx's header filter stamps it: the status (an error page's, if one fixed it),
 * {@code Server} and {@code Date}, the modules' header filters, and {@code Connection}/{@code Keep-Alive}. It holds
 * nginx's {@code r->keepalive}: whether the connection stays open after the response, which starts as the request
 * asks and only ever goes off. Lives on the connection's event loop.
 */
final class ResponseHead {

    private final Exchange x;
    private final HttpConnection conn;
    private final ExchangeWire wire;
    private final ResponseBody body;
    private int status;
    private boolean sent;
    private boolean keepAlive;

    ResponseHead(Exchange x, HttpConnection conn, ExchangeWire wire, ResponseBody body, boolean keepAlive) {
        this.x = x;
        this.conn = conn;
        this.wire = wire;
        this.body = body;
        this.keepAlive = keepAlive;
    }

    /** The status sent, or the one the request was ended with without a response; 0 before either. */
    int status() {
        return status;
    }

    /** The request ended with {@code code} without a response (444, 408, 499): logged so. */
    void status(int code) {
        status = code;
    }

    /** Whether the head went out (or is on its way: held back by the body filters). */
    boolean sent() {
        return sent;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** The connection closes after this response. */
    void closeConnection() {
        keepAlive = false;
    }

    /** nginx's keep-alive limits, checked against each location the request comes to: they only ever close. */
    void limitKeepAlive(CoreLocConf c) {
        HttpRequest request = x.request();
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
        long connected = System.nanoTime() - conn.facts().connectedAt();
        if (keepAlive && (c.keepaliveTimeoutMs() == 0 || conn.requests() >= c.keepaliveRequests()
                || connected > TimeUnit.MILLISECONDS.toNanos(c.keepaliveTimeMs()))) {
            keepAlive = false;
        }
    }

    /** The whole response of {@code response} (a page of the server's own) for {@code code}, its head stamped. */
    FullHttpResponse whole(int code, Response response) {
        SpecialResponse special = x.special;
        Response r = StatusPages.signed(response, x.location().core().serverTokens());
        if (special.statusToSend(code) >= 400 && x.location().core().wire().msiePadding()
                && UserAgentFlags.of(x.request().headers().getAll(HttpHeaderNames.USER_AGENT)).friendlyErrorPages()) {
            r = StatusPages.padded(r); // nginx's msie_padding, for its own pages only
        }
        ByteBuf content = x.headerOnly() || r.body().length == 0 ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(r.body());
        int toSend = special.statusToSend(code);
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, StatusPages.status(toSend),
                content);
        HttpHeaders h = resp.headers();
        String type = special.contentTypeOf(r.contentType());
        if (type != null && toSend != 204) {
            // nginx's header filter drops the type of a 204 (one an error page's =204 gave)
            h.set(HttpHeaderNames.CONTENT_TYPE, type);
        }
        if (toSend != 204 && toSend != 304) {
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        }
        for (String[] kv : r.headers()) {
            h.add(kv[0], WireText.encode(kv[1]));
        }
        if (SpecialResponse.closesConnection(code)) {
            keepAlive = false;
        }
        stamp(resp);
        return resp;
    }

    /**
     * Stamps status (an error page's, if one fixed it), standard headers and keep-alive on a response head, puts the
     * headers an error page kept first, runs the header filters and sets up the body filters they installed.
     */
    void stamp(HttpResponse resp) {
        SpecialResponse special = x.special;
        int fixed = special.statusToSend(resp.status().code());
        if (fixed != resp.status().code()) {
            resp.setStatus(StatusPages.status(fixed));
        }
        status = resp.status().code();
        sent = true;
        HttpHeaders h = resp.headers();
        special.putKeptHeadersFirst(h);
        // an upstream's own, passed on by proxy_pass_header, stays instead, as nginx's r->headers_out.server and date
        if (!h.contains(HttpHeaderNames.SERVER)) {
            h.set(HttpHeaderNames.SERVER, StatusPages.server(x.location().core().serverTokens()));
        }
        if (!h.contains(HttpHeaderNames.DATE)) {
            h.set(HttpHeaderNames.DATE, HttpDates.now());
        }
        if (!x.runtime.headerFilters().isEmpty()) {
            NettyResponseHeaders view = new NettyResponseHeaders(h, code -> {
                status = code;
                resp.setStatus(StatusPages.status(code));
            });
            for (var f : x.runtime.headerFilters()) {
                f.filter(x, status, view);
            }
        }
        if (conn.closing()) {
            keepAlive = false;
        }
        body.startFilters(h, x.request().protocolVersion().equals(HttpVersion.HTTP_1_1), x::filterFailed);
        if (!x.location().core().wire().chunkedTransferEncoding()
                && h.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)) {
            // nginx's chunked filter, off: the body goes as it is, ended by closing the connection (framed below)
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
        boolean framed = h.contains(HttpHeaderNames.CONTENT_LENGTH)
                || h.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)
                || resp instanceof FullHttpResponse && !body.filtered() || status == 204 || status == 304
                || x.headerOnly();
        if (!framed) {
            keepAlive = false;
        }
        if (x.awaitsContinue()) {
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
        long kaHeader = x.location().core().keepaliveHeaderSeconds();
        if (keepAlive && kaHeader >= 0) {
            h.set(HttpHeaderNames.KEEP_ALIVE, "timeout=" + kaHeader);
        }
        // nginx's write filter: the response takes limit_rate's unless $limit_rate or the upstream set one; a 101's
        // tunnel is not limited
        WireConf w = x.location().core().wire();
        if (!x.limitRateSet()) {
            x.setLimitRate(w.limitRate());
        }
        body.limitRate(status == 101 ? 0 : x.limitRate(), w.limitRateAfter(), x.startNanos());
        wire.headSent(h);
        if (x.headerOnly()) {
            // nginx's header_only: the head keeps the framing its handler set, the body a handler streams is dropped
            x.channel().pipeline().get(ResponseEncoder.class).headerOnly(resp);
        }
    }
}
