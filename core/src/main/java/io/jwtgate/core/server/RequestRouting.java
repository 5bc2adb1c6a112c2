package io.jwtgate.core.server;

import io.jwtgate.core.http.AddressServers;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.ListenGroup;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.http.VirtualServer;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.http.route.ServerNames;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a connection's requests go: the servers of its listen socket in the current configuration, and, for each
 * request head, the exchange that answers it. A head that passes {@link RequestHeadCheck} runs in the virtual server
 * chosen by its host; one that does not, or plain HTTP on a TLS port, gets an exchange of the address's default server
 * that only answers the refusal, so it is logged there (nginx logs such requests too) and its
 * {@code add_header ... always} apply. One per connection; used on its event loop.
 */
final class RequestRouting {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /**
     * What a request head becomes: {@code exchange} to start when {@code refusal} is 0, else to end at once with
     * {@code refusal}; no exchange when the listen socket is no longer configured (answer with
     * {@link #answerUnrouted}).
     */
    record Routed(Exchange exchange, int refusal) {
    }

    private final HttpServer server;
    private final InetSocketAddress bind;

    RequestRouting(HttpServer server, InetSocketAddress bind) {
        this.server = server;
        this.bind = bind;
    }

    /** The listen group of the connection's socket in {@code rt}; {@code null} when a reload dropped it. */
    ListenGroup group(HttpRuntime rt) {
        for (ListenGroup g : rt.listens()) {
            if (g.bind().equals(bind)) {
                return g;
            }
        }
        return null;
    }

    /** The settings of the default server of the connection's address in the current configuration, if any. */
    CoreLocConf defaultCore(InetSocketAddress local) {
        HttpRuntime rt = server.runtime();
        ListenGroup g = rt == null ? null : group(rt);
        return g == null ? null : g.serversFor(local).defaultServer().conf().conf().core();
    }

    /** The exchange for a request head {@code req} that came on {@code conn}; a refusal is logged here. */
    Routed route(HttpConnection conn, ChannelHandlerContext ctx, HttpRequest req, boolean plainOnTlsPort,
            boolean keepAlive) {
        HttpRuntime rt = server.runtime();
        ListenGroup group = group(rt);
        if (group == null) {
            // the socket was dropped by a reload; finish politely
            return refuse(conn, ctx, req, null, 503, "listen socket is no longer configured");
        }
        AddressServers servers = group.serversFor((InetSocketAddress) ctx.channel().localAddress());
        RequestHeadCheck.Outcome head = RequestHeadCheck.check(req, servers, ctx.channel().remoteAddress());
        if (head.refusal() != null) {
            return refuse(conn, ctx, req, servers, head.refusal().status(), head.refusal().reason());
        }
        if (plainOnTlsPort) {
            // nginx's ngx_http_process_request: the whole head checked (URI, Host), then 400 with the 497 page
            return refuse(conn, ctx, req, servers, 497, "client sent plain HTTP request to HTTPS port");
        }
        RequestHeadCheck.Target target = head.target();
        ServerNames.Selection<VirtualServer> sel = servers.select(target.host());
        Route route = new Route(target.uri(), target.args(), target.host(), sel.server(), sel.captures());
        return new Routed(new Exchange(conn, ctx, rt, req, route, keepAlive), 0);
    }

    private Routed refuse(HttpConnection conn, ChannelHandlerContext ctx, HttpRequest req, AddressServers servers,
            int code, String reason) {
        if (reason != null) {
            log.info("{}, client: {}", reason, ErrorContext.client(ctx.channel().remoteAddress()));
        }
        if (servers == null) {
            return new Routed(null, code);
        }
        Route route = new Route("", null, null, servers.defaultServer(), RegexCaptures.NONE);
        return new Routed(new Exchange(conn, ctx, server.runtime(), req, route, false), code);
    }

    /** Answers {@code req} (released here) with the page of {@code code} without any server, then closes. */
    static void answerUnrouted(ChannelHandlerContext ctx, HttpRequest req, int code) {
        Response page = StatusPages.page(code);
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, StatusPages.status(code),
                Unpooled.wrappedBuffer(page.body()));
        resp.headers().set(HttpHeaderNames.SERVER, StatusPages.server(true))
                .set(HttpHeaderNames.DATE, HttpDates.now())
                .set(HttpHeaderNames.CONTENT_TYPE, page.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, page.body().length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ReferenceCountUtil.release(req);
        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }
}
