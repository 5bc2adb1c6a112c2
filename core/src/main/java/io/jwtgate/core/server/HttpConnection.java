package io.jwtgate.core.server;

import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.core.http.Transport;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
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
    private final RequestRouting routing;
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
    private ReadTimeouts timeouts;
    /** How the connection ends while the client may still be sending; {@code null} until then. */
    private LingeringClose lingering;
    private ReadActivity activity;
    private SentBytes sent;
    private final ConnectionFacts facts;

    HttpConnection(HttpServer server, LoopConnections.Slot slot, InetSocketAddress bind, boolean ssl, long number) {
        this.server = server;
        this.slot = slot;
        this.routing = new RequestRouting(server, bind);
        this.facts = new ConnectionFacts(number, ssl);
    }

    /** The client spoke plain HTTP to this TLS port: its requests get nginx's 497 answer. */
    void plainOnTlsPort() {
        plainOnTlsPort = true;
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
        this.timeouts = new ReadTimeouts(ctx.executor(), this::idleTimedOut);
        facts.active(ctx.channel());
        this.activity = ctx.pipeline().get(ReadActivity.class);
        this.decoder = ctx.pipeline().get(RequestDecoder.class);
        this.sent = ctx.pipeline().get(SentBytes.class);
        this.sendTimeout = ctx.pipeline().get(SendTimeout.class);
        CoreLocConf core = routing.defaultCore(localAddress());
        long timeout = core == null ? 60_000 : core.clientHeaderTimeoutMs();
        timeouts.idle(timeout, "client timed out while sending the request header");
        slot.waiting();
        drain();
        ctx.fireChannelActive();
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

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (lingering != null) {
            lingering.decoded(msg);
            return;
        }
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
        if (lingering != null) {
            lingering.readComplete();
            return;
        }
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
                    timeouts.body(current);
                    return;
                }
                timeouts.cancel();
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
                timeouts.cancel();
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

    /**
     * A request head arrived: it runs as an exchange in its virtual server ({@link RequestRouting}), or, refused, is
     * answered and the connection closed, as nginx does for malformed requests (error_page applies).
     */
    private void startRequest(HttpRequest req) {
        requests++;
        slot.busy();
        slot.writing();
        if (activity != null) {
            activity.requestStarted();
        }
        RequestRouting.Routed routed = routing.route(this, ctx, req, plainOnTlsPort,
                HttpUtil.isKeepAlive(req) && !closing());
        if (routed.refusal() == 0) {
            current = routed.exchange();
            current.start();
            return;
        }
        closed = true; // read nothing more: the connection closes after this answer
        releaseQueue();
        if (routed.exchange() == null) {
            RequestRouting.answerUnrouted(ctx, req, routed.refusal());
            return;
        }
        current = routed.exchange();
        current.finalizeRequest(routed.refusal());
    }

    /**
     * The current exchange is over; go on with the next request, or close: at once when {@code terminated} (nginx's
     * terminated requests: no response, a failed write, an aborted one), else lingering if the client may still send.
     */
    void exchangeDone(Exchange x, boolean keepAlive, boolean terminated) {
        if (x != current) {
            return;
        }
        current = null;
        if (!keepAlive || closing()) {
            // already closed: a refused head (startRequest), whose body, if any, nginx does not read either
            boolean bodyKnown = !closed;
            closed = true;
            lingering = terminated ? null : LingeringClose.after(x, ctx, queue, decoder, bodyKnown);
            releaseQueue();
            ctx.flush();
            if (lingering != null) {
                lingering.start();
            } else {
                ctx.close();
            }
            return;
        }
        timeouts.idle(x.location().core().keepaliveTimeoutMs(), null);
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
        timeouts.cancel();
        releaseQueue();
        UpgradedBytes.install(ctx.pipeline(), relay, sent);
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
            CoreLocConf core = routing.defaultCore(localAddress());
            // nginx resets only a request's connection: some of the head had come
            if (activity != null && activity.sinceRequest() > 0 && core != null && core.resetTimedoutConnection()) {
                resetOnClose();
            }
        }
        closed = true;
        releaseQueue();
        ctx.close();
    }

    /**
     * Closes the connection now if no request is in progress (graceful shutdown, or to make room for a new
     * connection); a request whose head is still arriving counts as in progress, and the connection closes after its
     * response. Whether it closed.
     */
    boolean closeIfIdle() {
        if (lingering != null) {
            ctx.close(); // nginx's lingering connection is reusable: closed first to make room
            return true;
        }
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
        timeouts.stop();
        if (lingering != null) {
            lingering.stop();
        }
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

    /** Whether the request in progress runs on {@code rt} (a configuration a reload replaced). */
    boolean serves(HttpRuntime rt) {
        Exchange x = current;
        return x != null && x.runtime == rt;
    }

    /** The requests this connection has started, the current one included. */
    int requests() {
        return requests;
    }

    /** The bytes written to the client since the connection began. */
    long bytesSent() {
        return sent.total();
    }

    /** Its number, TLS and PROXY protocol addresses, as its requests read them. */
    ConnectionFacts facts() {
        return facts;
    }

    /** The addresses the connection's PROXY protocol header gave ({@link ProxyProtocolReader}), or {@code null}. */
    void proxyProtocol(ProxyProtocolAddresses addresses) {
        facts.proxyProtocol(addresses);
    }
}
