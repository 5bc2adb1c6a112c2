package io.jwtgate.core.server;

import io.jwtgate.core.http.AddressServers;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.ListenGroup;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.http.Transport;
import io.jwtgate.core.http.VirtualServer;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.http.route.ServerNames;
import io.jwtgate.core.tls.ClientTls;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, after the request decoder and response encoder: turns decoded requests into
 * {@link Exchange}s one at a time (pipelined requests wait in the queue, so responses keep their order), reads only
 * when someone needs bytes ({@code AUTO_READ} is off), and enforces the header, body and keep-alive timeouts.
 * Not sharable: one instance per channel.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final HttpServer server;
    private final LoopConnections.Slot slot;
    private final InetSocketAddress bind;
    private final boolean ssl;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private SendTimeout sendTimeout;
    private Exchange current;
    private boolean discarding;
    private boolean readPending;
    private boolean closed;
    /** The connection carries an upgraded protocol's bytes ({@link #upgrade}): they pass through untouched. */
    private boolean tunnel;
    private RequestDecoder decoder;
    private int requests;
    private boolean plainOnTlsPort;
    private long connectedAt;
    private ProxyProtocolAddresses proxyProtocol;
    private ClientTls tls;
    /** The body timeout, while a body is awaited. */
    private ScheduledFuture<?> bodyTimer;
    /** The header and keep-alive timeout. */
    private IdleTimeout idle;
    private ReadActivity activity;
    private SentBytes sent;
    private final long number;

    HttpConnection(HttpServer server, LoopConnections.Slot slot, InetSocketAddress bind, boolean ssl, long number) {
        this.server = server;
        this.number = number;
        this.slot = slot;
        this.bind = bind;
        this.ssl = ssl;
    }

    /** The client spoke plain HTTP to this TLS port: its requests get nginx's 497 answer. */
    void plainOnTlsPort() {
        plainOnTlsPort = true;
    }

    boolean ssl() {
        return ssl;
    }

    Transport transport() {
        return server.transport();
    }

    /** Whether the server is shutting down gracefully: finish the request in progress, then close. */
    boolean closing() {
        return server.quitting();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.idle = new IdleTimeout(ctx.executor(), this::idleTimedOut);
        this.connectedAt = System.nanoTime();
        this.activity = ctx.pipeline().get(ReadActivity.class);
        this.decoder = ctx.pipeline().get(RequestDecoder.class);
        this.sent = ctx.pipeline().get(SentBytes.class);
        this.sendTimeout = ctx.pipeline().get(SendTimeout.class);
        HttpRuntime rt = server.runtime();
        ListenGroup g = rt == null ? null : group(rt);
        long timeout = g == null ? 60_000 : defaultCore(g).clientHeaderTimeoutMs();
        armIdle(timeout, "client timed out while sending the request header");
        slot.waiting();
        drain();
        ctx.fireChannelActive();
    }

    /** The settings of the default server of the connection's address. */
    private CoreLocConf defaultCore(ListenGroup g) {
        return g.serversFor(localAddress()).defaultServer().conf().conf().core();
    }

    /**
     * {@code reset_timedout_connection}: the close that follows sends an RST (SO_LINGER 0), and the kernel drops
     * what the socket still holds, as nginx does for a client that timed out.
     */
    void resetOnClose() {
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    }

    private InetSocketAddress localAddress() {
        return (InetSocketAddress) ctx.channel().localAddress();
    }

    private ListenGroup group(HttpRuntime rt) {
        for (ListenGroup g : rt.listens()) {
            if (g.bind().equals(bind)) {
                return g;
            }
        }
        return null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (tunnel) {
            ctx.fireChannelRead(msg);
            return;
        }
        queue.add(msg);
        drain();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readPending = false;
        if (tunnel) {
            ctx.fireChannelReadComplete(); // the tunnel's relay decides when to read
            return;
        }
        // Read on while nothing is queued, even when the current exchange wants no bytes now: with AUTO_READ off,
        // Netty drops the socket's read interest after a read that asked for no more and sets it again on the next
        // read(), two epoll_ctl calls per request. The read-ahead stays bounded: once a message waits in the queue
        // (a pipelined request, a body piece nobody asked for yet) nothing more is read until it is taken.
        if (mayReadAhead()) {
            read();
        }
    }

    /**
     * Whether to keep reading: nothing waits in the queue but, at most, the empty end marker the decoder sends after
     * a request without a body (it stays queued until the exchange is over).
     */
    private boolean mayReadAhead() {
        if (closed || tunnel || decoder.held()) {
            return false; // a held decoder keeps what may be an upgraded protocol's first bytes: no more of them
        }
        int n = queue.size();
        return n == 0 || n == 1 && queue.peek() instanceof LastHttpContent last && !last.content().isReadable();
    }

    private void read() {
        if (!readPending && !closed) {
            readPending = true;
            ctx.read();
        }
    }

    /** Moves queued messages forward: body pieces to the current request, or the next request head. */
    void drain() {
        while (!closed && !tunnel) {
            if (current != null) {
                if (!current.wantsBody()) {
                    if (mayReadAhead()) {
                        read(); // see channelReadComplete
                    }
                    return;
                }
                Object m = queue.poll();
                if (m == null) {
                    read();
                    scheduleBodyTimeout();
                    return;
                }
                cancelTimer();
                if (m instanceof HttpContent) {
                    current.deliverBody((HttpContent) m);
                } else {
                    // cannot happen: the decoder ends each body with LastHttpContent before the next request
                    ReferenceCountUtil.release(m);
                }
                continue;
            }
            Object m = queue.poll();
            if (m == null) {
                read();
                return;
            }
            if (m instanceof HttpRequest) {
                cancelTimer();
                startRequest((HttpRequest) m);
                continue;
            }
            boolean last = m instanceof LastHttpContent;
            boolean malformed = m instanceof HttpContent && ((HttpContent) m).decoderResult().isFailure();
            ReferenceCountUtil.release(m);
            if (malformed) {
                // the decoder reads nothing more after this: close now, as nginx does, not at keepalive_timeout
                log.info("client sent invalid chunked body, client: {}",
                        ErrorContext.client(ctx.channel().remoteAddress()));
                closed = true;
                releaseQueue();
                ctx.close();
                return;
            }
            if (last) {
                discarding = false;
                slot.waiting();
            }
        }
    }

    /** A request head arrived: check it, choose its virtual server, and run it as an exchange. */
    private void startRequest(HttpRequest req) {
        requests++;
        slot.busy();
        slot.writing();
        if (activity != null) {
            activity.requestStarted();
        }
        HttpRuntime rt = server.runtime();
        ListenGroup group = group(rt);
        if (group == null) {
            // the socket was dropped by a reload; finish politely
            reject(req, null, 503, "listen socket is no longer configured");
            return;
        }
        AddressServers servers = group.serversFor(localAddress());
        RequestHeadCheck.Outcome head = RequestHeadCheck.check(req, servers, ctx.channel().remoteAddress());
        if (head.refusal() != null) {
            reject(req, servers, head.refusal().status(), head.refusal().reason());
            return;
        }
        if (plainOnTlsPort) {
            // nginx's ngx_http_process_request: the whole head checked (URI, Host), then 400 with the 497 page
            reject(req, servers, 497, "client sent plain HTTP request to HTTPS port");
            return;
        }
        Exchange x = new Exchange(this, ctx, rt, req, route(servers, head.target()),
                HttpUtil.isKeepAlive(req) && !closing());
        current = x;
        x.start();
    }

    /** nginx's virtual-server selection: the server for the target's host on this address. */
    private static Route route(AddressServers servers, RequestHeadCheck.Target target) {
        ServerNames.Selection<VirtualServer> sel = servers.select(target.host());
        return new Route(target.uri(), target.args(), target.host(), sel.server(), sel.captures());
    }

    /**
     * Answers a request that never became a routed exchange, then closes, as nginx does for malformed requests. The
     * answer goes through an exchange of the address's default server, so it is logged there (nginx logs such
     * requests too) and its {@code add_header ... always} apply; without a server (a socket a reload dropped) it is
     * written directly.
     */
    private void reject(HttpRequest req, AddressServers servers, int code, String reason) {
        if (reason != null) {
            log.info("{}, client: {}", reason, ErrorContext.client(ctx.channel().remoteAddress()));
        }
        closed = true; // read nothing more: the connection closes after this answer
        releaseQueue();
        if (servers != null) {
            VirtualServer vs = servers.defaultServer();
            Route route = new Route("", null, null, vs, RegexCaptures.NONE);
            Exchange x = new Exchange(this, ctx, server.runtime(), req, route, false);
            current = x;
            x.finalizeRequest(code); // error_page applies, as nginx finalizes such a request
            return;
        }
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

    /** The current exchange is over; close or go on with the next request. */
    void exchangeDone(Exchange x, boolean keepAlive) {
        if (x != current) {
            return;
        }
        current = null;
        if (!keepAlive || closing()) {
            closed = true;
            releaseQueue();
            ctx.flush();
            ctx.close();
            return;
        }
        armIdle(x.location().core().keepaliveTimeoutMs(), null);
        if (x.bodyDone()) {
            slot.waiting();
        } else {
            discarding = true; // waiting for a request again only once the rest of the body is in
        }
        // an upgrade request that was not upgraded: what follows it is HTTP again
        decoder.resume(ctx.pipeline().context(decoder));
        drain();
    }

    /**
     * The current exchange answered 101: the connection becomes a byte tunnel to {@code relay}, its timeouts stop,
     * and every byte written to it from now on is reported to {@code sent}.
     */
    void upgrade(ChannelHandler relay, LongConsumer sent) {
        tunnel = true;
        cancelTimer();
        releaseQueue();
        UpgradedBytes.install(ctx.pipeline(), relay, sent);
    }

    private void scheduleBodyTimeout() {
        if (bodyTimer == null && current != null) {
            Exchange x = current;
            long ms = x.location().core().clientBodyTimeoutMs();
            bodyTimer = ctx.executor().schedule(() -> {
                bodyTimer = null;
                x.bodyTimedOut();
            }, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Arms the header/keep-alive timeout: when it expires with no request in progress, the connection is closed. */
    private void armIdle(long ms, String reason) {
        cancelTimer();
        idle.arm(ms, reason);
    }

    /** The {@code send_timeout} of the location the request in progress is in. */
    void sendTimeoutMs(long ms) {
        sendTimeout.timeoutMs(ms);
    }

    /** The client took nothing of a response for {@code send_timeout}: nginx's line, then the connection goes. */
    void sendTimedOut() {
        if (closed) {
            return;
        }
        Exchange x = current;
        log.info("client timed out (110: Connection timed out) while sending response to client{}",
                x != null ? ErrorContext.of(x) : ", client: " + ErrorContext.client(ctx.channel().remoteAddress()));
        if (x != null && x.location() != null && x.location().core().resetTimedoutConnection()) {
            resetOnClose();
        }
        ctx.close();
    }

    private void idleTimedOut(String reason) {
        if (closed || current != null) {
            return;
        }
        if (reason != null) {
            log.info("{}, client: {}", reason, ErrorContext.client(ctx.channel().remoteAddress()));
            HttpRuntime rt = server.runtime();
            ListenGroup g = rt == null ? null : group(rt);
            // nginx resets only a request's connection: some of the head had come
            if (activity != null && activity.sinceRequest() > 0 && g != null
                    && defaultCore(g).resetTimedoutConnection()) {
                resetOnClose();
            }
        }
        closed = true;
        releaseQueue();
        ctx.close();
    }

    private void cancelTimer() {
        idle.disarm();
        if (bodyTimer != null) {
            bodyTimer.cancel(false);
            bodyTimer = null;
        }
    }

    /**
     * Closes the connection now if no request is in progress (graceful shutdown, or to make room for a new
     * connection); a request whose head is still arriving counts as in progress, and the connection closes after its
     * response. Whether it closed.
     */
    boolean closeIfIdle() {
        boolean partial = activity != null && activity.sinceRequest() > 0;
        if (current == null && !closed && !partial) {
            closed = true;
            releaseQueue();
            ctx.close();
            return true;
        }
        return false;
    }

    private void releaseQueue() {
        Object m;
        while ((m = queue.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        cancelTimer();
        idle.stop();
        releaseQueue();
        Exchange x = current;
        current = null;
        if (x != null) {
            x.connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection error: {}", cause.toString());
        ctx.close();
    }

    /** The requests this connection has started, the current one included. */
    int requests() {
        return requests;
    }

    /** The connection's serial number ({@code $connection}). */
    long number() {
        return number;
    }

    /** The bytes written to the client since the connection began. */
    long bytesSent() {
        return sent.total();
    }

    /** When the connection was accepted, from {@link System#nanoTime()}. */
    long connectedAt() {
        return connectedAt;
    }

    /** The connection's TLS once its handshake is done, read once; {@code null} on a plain connection. */
    ClientTls tls() {
        if (tls == null && ssl) {
            tls = ClientTls.of(ctx.channel());
        }
        return tls;
    }

    /** The PROXY protocol header's addresses, when the listener reads one; {@code null} otherwise. */
    ProxyProtocolAddresses proxyProtocol() {
        return proxyProtocol;
    }

    /** The addresses the connection's PROXY protocol header gave ({@link ProxyProtocolReader}), or {@code null}. */
    void proxyProtocol(ProxyProtocolAddresses addresses) {
        this.proxyProtocol = addresses;
    }
}
