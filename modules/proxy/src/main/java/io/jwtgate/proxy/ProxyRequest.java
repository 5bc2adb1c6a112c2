package io.jwtgate.proxy;

import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.proxy.cache.CacheFill;
import io.jwtgate.proxy.cache.CacheRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request (nginx's {@code ngx_http_upstream_t}): picks a peer, takes a pooled connection or opens one on
 * the client's event loop, writes the head and streams the body (the next body piece is asked for only after the
 * previous write completed), then streams the response back (the upstream is read again only after the client write
 * completed). Connection errors and timeouts before the response head move on to the next peer as nginx's default
 * {@code proxy_next_upstream error timeout} does, as long as no body byte was taken from the client.
 *
 * <p>Lives on the client's event loop only. It owns every message the upstream handler gives it and each body piece
 * the exchange gives it, and passes each on or releases it. It is the proxy module's per-request state, which the
 * {@code $upstream_*} variables read.
 */
final class ProxyRequest extends Deadlines.Entry implements BodyReader, UpstreamHandler.Listener {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");

    private static final byte[] CRLF = {'\r', '\n'};
    private static final ByteBuf CRLF_BUF =
            Unpooled.unreleasableBuffer(Unpooled.directBuffer(2).writeBytes(CRLF).asReadOnly());
    private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(5).writeBytes("0\r\n\r\n".getBytes(CharsetUtil.US_ASCII)).asReadOnly());
    private static final AsciiString X_ACCEL_EXPIRES = AsciiString.cached("X-Accel-Expires");
    private static final AsciiString[] HIDDEN = {
        HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.DATE, HttpHeaderNames.SERVER,
        AsciiString.cached("X-Pad"), X_ACCEL_EXPIRES, AsciiString.cached("X-Accel-Redirect"),
        AsciiString.cached("X-Accel-Limit-Rate"), AsciiString.cached("X-Accel-Buffering"),
        AsciiString.cached("X-Accel-Charset"),
    };

    /** nginx's failure types, as {@code proxy_next_upstream} names them. */
    private enum Failure { ERROR, TIMEOUT, INVALID_HEADER }

    /** The request as modules see it: variables, addresses, for the log. */
    private final HttpExchange hx;
    /** Where the body comes from and the response goes: a client connection or a subrequest. */
    private Downstream x;
    private final ProxyConf conf;
    private final UpstreamGroup group;
    private final UpstreamGroup.Local local;
    private final Balancer.Selection selection;
    private final String uri;
    final String proxyHost;
    /** TLS to the upstream ({@code proxy_pass https://}), else {@code null}; and the SNI / verified name. */
    private UpstreamTls tls;
    private String tlsName;

    private Peer peer;
    private UpstreamHandler conn;
    private Channel connecting;
    private boolean cached;
    private boolean staleRetried;

    private boolean bodyStarted;
    private boolean requestSent;
    private boolean lastBodyPieceWritten;
    private boolean headReceived;
    private boolean clientHeadSent;
    private boolean upstreamKeepAlive;
    private boolean skipInterim;
    private boolean done;

    private boolean reading;
    private int clientWrites;

    private long readDeadline;
    private long writeDeadline;

    private String upstreamAddr;
    private String upstreamStatus;
    /** proxy_cache: this request's way through the cache ({@code $upstream_cache_status}), or {@code null}. */
    CacheRequest cache;

    private final ChannelFutureListener clientWritten = this::clientWritten;
    private final ChannelFutureListener upstreamWritten = this::upstreamWritten;

    ProxyRequest(HttpExchange hx, ProxyConf conf, UpstreamGroup group, String uri, String proxyHost) {
        this.hx = hx;
        this.x = (Downstream) hx;
        this.conf = conf;
        this.group = group;
        this.local = group.on(x.loop());
        this.selection = local.balancer.start();
        this.uri = uri;
        this.proxyHost = proxyHost;
    }

    /** Makes the upstream connection TLS, with {@code name} as SNI and verified host name. Call before start. */
    void tls(UpstreamTls t, String name) {
        tls = t;
        tlsName = name;
    }

    UpstreamTls tls() {
        return tls;
    }

    // ---- variables

    /** {@code $upstream_addr}: every peer tried, {@code , }-separated. */
    String upstreamAddr() {
        return upstreamAddr;
    }

    /** {@code $upstream_status}: the status of every try, {@code , }-separated. */
    String upstreamStatus() {
        return upstreamStatus;
    }

    private void addAddr(String name) {
        upstreamAddr = upstreamAddr == null ? name : upstreamAddr + ", " + name;
    }

    private void addStatus(int status) {
        String s = HttpResponseStatus.valueOf(status).codeAsText().toString(); // a known code's text is made once
        upstreamStatus = upstreamStatus == null ? s : upstreamStatus + ", " + s;
    }

    // ---- connecting

    void start() {
        x.onClose(this::clientClosed);
        connect();
    }

    /** proxy_cache: starts with the cache's downstream, which stores the response on its way to the client. */
    void start(Downstream through) {
        x = through;
        start();
    }

    private void connect() {
        peer = local.balancer.pick(selection);
        if (peer == null) {
            addAddr(group.name);
            addStatus(502);
            logError("no live upstreams", "connecting to upstream");
            finish(502);
            return;
        }
        addAddr(peer.name());
        if (local.pool != null) {
            UpstreamHandler h = local.pool.take(peer, tls, tlsName);
            if (h != null) {
                cached = true;
                use(h);
                return;
            }
        }
        open();
    }

    private void open() {
        cached = false;
        UpstreamPool pool = local.pool;
        Peer p = peer;
        UpstreamTls t = tls;
        String tn = tlsName;
        ChannelFuture f = new Bootstrap()
                .group(x.loop())
                .channel(x.transport().socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(conf.connectTimeoutMs(), Integer.MAX_VALUE))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        UpstreamResponseDecoder decoder = new UpstreamResponseDecoder();
                        if (t != null) {
                            ch.pipeline().addLast("tls", t.newHandler(ch.alloc(), tn, p.address().getPort(),
                                    conf.connectTimeoutMs()));
                        }
                        ch.pipeline().addLast("decoder", decoder)
                                .addLast("upstream", new UpstreamHandler(p, pool, decoder, t, tn));
                    }
                })
                .connect(p.address());
        connecting = f.channel();
        if (f.isDone()) {
            connected(f);
        } else {
            f.addListener((ChannelFutureListener) this::connected);
        }
    }

    private void connected(ChannelFuture f) {
        connecting = null;
        if (done) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            f.channel().close();
            Throwable cause = f.cause();
            if (cause instanceof ConnectTimeoutException) {
                fail(Failure.TIMEOUT, "upstream timed out (110: Connection timed out)", "connecting to upstream");
            } else {
                fail(Failure.ERROR, "connect() failed (" + Errno.describe(cause) + ")", "connecting to upstream");
            }
            return;
        }
        if (tls != null) {
            Channel ch = f.channel();
            connecting = ch;
            ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(g -> handshaken(ch, g));
            return;
        }
        use(f.channel().pipeline().get(UpstreamHandler.class));
    }

    /** The TLS handshake ended: a failure (certificate verification too) is handled as a connect error. */
    private void handshaken(Channel ch, Future<?> g) {
        if (connecting != ch) {
            ch.close(); // this attempt was given up meanwhile
            return;
        }
        connecting = null;
        if (done) {
            ch.close();
            return;
        }
        if (!g.isSuccess()) {
            ch.close();
            if (g.cause() instanceof SslHandshakeTimeoutException) {
                fail(Failure.TIMEOUT, "upstream timed out (110: Connection timed out)", "SSL handshaking to upstream");
            } else {
                fail(Failure.ERROR, UpstreamTls.describe(g.cause(), tlsName), "SSL handshaking to upstream");
            }
            return;
        }
        use(ch.pipeline().get(UpstreamHandler.class));
    }

    /** Sends the request on a connection, new or from the pool. */
    private void use(UpstreamHandler h) {
        conn = h;
        h.attach(this);
        h.requests++;
        h.decoder.headRequest(x.request().method() == HttpMethod.HEAD);
        Channel ch = h.channel();
        boolean body = conf.passRequestBody() && x.hasBody();
        long length;
        if (body) {
            length = x.contentLength();
        } else if (conf.passRequestBody() && x.request().headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            length = 0;
        } else {
            length = -2;
        }
        ByteBuf head = conf.head().encode(ch.alloc(), hx, x.request().headers(), hx.method(), uri, conf.http11(),
                length);
        lastBodyPieceWritten = !body;
        reading = true;
        ch.read();
        armWrite();
        ch.writeAndFlush(head).addListener(upstreamWritten);
        if (done) {
            return;
        }
        if (body && !bodyStarted) {
            bodyStarted = true;
            x.readBody(this);
        }
    }

    // ---- request body

    @Override
    public void onBody(HttpContent content, boolean last) {
        if (done || conn == null) {
            content.release();
            return;
        }
        Channel ch = conn.channel();
        ByteBuf data = content.content();
        ChannelFuture f = null;
        if (x.contentLength() < 0) {
            int n = data.readableBytes();
            if (n > 0) {
                ByteBuf size = ch.alloc().buffer(10);
                size.writeCharSequence(Integer.toHexString(n), CharsetUtil.US_ASCII);
                size.writeBytes(CRLF);
                ch.write(size);
                ch.write(data);
                f = ch.write(CRLF_BUF.duplicate());
            } else {
                data.release();
            }
            if (last) {
                f = ch.write(LAST_CHUNK.duplicate());
            }
        } else if (data.isReadable() || last) {
            f = ch.write(data);
        } else {
            data.release();
        }
        lastBodyPieceWritten = last;
        if (f == null) {
            x.requestBody();
            return;
        }
        armWrite();
        ch.flush();
        f.addListener(upstreamWritten);
    }

    @Override
    public void onBodyError(int status) {
        if (done) {
            return;
        }
        if (status == 499) {
            clientClosed();
            return;
        }
        release(false);
        if (clientHeadSent) {
            abort("client request body failed with " + status);
        } else {
            finish(status);
        }
    }

    private void upstreamWritten(ChannelFuture f) {
        writeDeadline = 0;
        if (done) {
            return;
        }
        if (!f.isSuccess()) {
            upstreamBroken(Failure.ERROR, "send() failed (" + Errno.describe(f.cause()) + ")",
                    "sending request to upstream");
            return;
        }
        if (lastBodyPieceWritten) {
            if (!requestSent) {
                requestSent = true;
                if (reading) {
                    armRead();
                }
            }
        } else {
            x.requestBody();
        }
    }

    // ---- response

    @Override
    public void onUpstreamMessage(Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse) {
            responseHead((HttpResponse) msg);
            return;
        }
        if (!(msg instanceof HttpContent)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        HttpContent content = (HttpContent) msg;
        if (skipInterim) {
            if (content instanceof LastHttpContent) {
                skipInterim = false;
            }
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            Throwable cause = content.decoderResult().cause();
            content.release();
            upstreamBroken(Failure.ERROR, cause instanceof PrematureChannelClosureException
                    ? "upstream prematurely closed connection" : "upstream sent invalid response body ("
                    + cause.getMessage() + ")", "reading upstream");
            return;
        }
        if (content instanceof LastHttpContent) {
            responseDone((LastHttpContent) content);
            return;
        }
        clientWrites++;
        x.sendBody(content).addListener(clientWritten);
    }

    private void responseHead(HttpResponse resp) {
        if (resp.decoderResult().isFailure()) {
            Throwable cause = resp.decoderResult().cause();
            ReferenceCountUtil.release(resp);
            if (cause instanceof PrematureChannelClosureException) {
                upstreamBroken(Failure.ERROR, "upstream prematurely closed connection",
                        "reading response header from upstream");
            } else if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
                upstreamBroken(Failure.INVALID_HEADER, "upstream sent too big header",
                        "reading response header from upstream");
            } else {
                upstreamBroken(Failure.INVALID_HEADER, "upstream sent no valid HTTP/1.0 header",
                        "reading response header from upstream");
            }
            return;
        }
        int code = resp.status().code();
        if (code < 200) {
            if (code == 101) {
                ReferenceCountUtil.release(resp);
                upstreamBroken(Failure.INVALID_HEADER, "upstream sent unexpected 101 response",
                        "reading response header from upstream");
                return;
            }
            // interim response (100 Continue, 103 Early Hints): skip it and its empty body, wait for the final one
            skipInterim = true;
            ReferenceCountUtil.release(resp);
            return;
        }
        headReceived = true;
        addStatus(code);
        HttpHeaders h = resp.headers();
        upstreamKeepAlive = resp.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && !h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        boolean chunked = HttpUtil.isTransferEncodingChunked(resp);
        boolean bodyless = code == 204 || code == 304 || x.request().method() == HttpMethod.HEAD;
        boolean sized = h.contains(HttpHeaderNames.CONTENT_LENGTH);
        if (!bodyless && !sized && !chunked) {
            upstreamKeepAlive = false; // the body ends when the upstream closes
        }
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        if (x instanceof CacheFill f) {
            f.accelExpires(h.get(X_ACCEL_EXPIRES)); // the cache's own validity header, hidden from clients below
        }
        for (AsciiString name : HIDDEN) {
            h.remove(name);
        }
        if (!bodyless && !sized && x.request().protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        resp.setProtocolVersion(HttpVersion.HTTP_1_1);
        clientHeadSent = true;
        x.sendHead(resp);
    }

    private void responseDone(LastHttpContent last) {
        if (!last.trailingHeaders().isEmpty()) {
            last.trailingHeaders().clear(); // nginx passes no trailers without proxy_pass_trailers
        }
        boolean reusable = upstreamKeepAlive && requestSent && local.pool != null;
        done = true;
        cancelTimer();
        UpstreamHandler h = conn;
        conn = null;
        if (h != null) {
            if (reusable) {
                local.pool.release(h);
            } else {
                h.detach();
                h.channel().close();
            }
        }
        local.balancer.free(selection, false);
        x.endResponse(last);
    }

    private void clientWritten(ChannelFuture f) {
        clientWrites--;
        if (f.isSuccess()) {
            maybeRead();
        }
        // on failure the client connection closes, and clientClosed() cleans up
    }

    @Override
    public void onUpstreamReadComplete() {
        reading = false;
        readDeadline = 0;
        maybeRead();
    }

    private void maybeRead() {
        if (done || reading || clientWrites > 0 || conn == null) {
            return;
        }
        reading = true;
        conn.channel().read();
        if (requestSent) {
            armRead();
        }
    }

    @Override
    public void onUpstreamClosed() {
        conn = null;
        if (done) {
            return;
        }
        upstreamBroken(Failure.ERROR, "upstream prematurely closed connection",
                headReceived ? "reading upstream" : "reading response header from upstream");
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        if (done) {
            return;
        }
        String stage = !requestSent ? "sending request to upstream"
                : headReceived ? "reading upstream" : "reading response header from upstream";
        upstreamBroken(Failure.ERROR, "recv() failed (" + Errno.describe(cause) + ")", stage);
    }

    // ---- timeouts

    private void armRead() {
        readDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(conf.readTimeoutMs());
        local.deadlines.add(this);
    }

    private void armWrite() {
        writeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(conf.sendTimeoutMs());
        local.deadlines.add(this);
    }

    @Override
    void checkDeadlines(long now) {
        if (done) {
            local.deadlines.remove(this);
            return;
        }
        if (writeDeadline != 0 && now - writeDeadline >= 0) {
            upstreamBroken(Failure.TIMEOUT, "upstream timed out (110: Connection timed out)",
                    "sending request to upstream");
            return;
        }
        if (readDeadline != 0 && now - readDeadline >= 0) {
            upstreamBroken(Failure.TIMEOUT, "upstream timed out (110: Connection timed out)",
                    headReceived ? "reading upstream" : "reading response header from upstream");
        }
    }

    private void cancelTimer() {
        readDeadline = 0;
        writeDeadline = 0;
        local.deadlines.remove(this);
    }

    // ---- failures and endings

    /** The upstream failed: before the response head this may try the next peer; after it, the client is cut off. */
    private void upstreamBroken(Failure failure, String what, String stage) {
        if (done) {
            return;
        }
        if (clientHeadSent) {
            logError(what, stage);
            release(false);
            abort(what + " while " + stage);
            return;
        }
        fail(failure, what, stage);
    }

    /** nginx's {@code ngx_http_upstream_next}. */
    private void fail(Failure failure, String what, String stage) {
        logError(what, stage);
        int status = failure == Failure.TIMEOUT ? 504 : 502;
        addStatus(status);
        boolean wasCached = cached;
        dropConnection();
        if (wasCached && failure == Failure.ERROR && !staleRetried && !bodyStarted) {
            // a kept-alive connection the upstream had closed: try once more on a fresh one, without blame
            staleRetried = true;
            addAddr(peer.name());
            open();
            return;
        }
        local.balancer.free(selection, true);
        if (failure != Failure.INVALID_HEADER && selection.tries > 0 && !bodyStarted) {
            connect();
            return;
        }
        finish(status);
    }

    private void dropConnection() {
        cancelTimer();
        reading = false;
        UpstreamHandler h = conn;
        conn = null;
        if (h != null) {
            h.detach();
            h.channel().close();
        }
        if (connecting != null) {
            connecting.close();
            connecting = null;
        }
    }

    /** Closes the upstream connection and ends the peer's attempt. */
    private void release(boolean failed) {
        dropConnection();
        if (peer != null) {
            local.balancer.free(selection, failed);
            peer = null;
        }
    }

    private void finish(int status) {
        done = true;
        cancelTimer();
        if (x instanceof CacheFill f && f.upstreamFailed(status)) {
            return; // proxy_cache_use_stale: the stale entry was served
        }
        hx.finalizeRequest(status);
    }

    private void abort(String reason) {
        done = true;
        cancelTimer();
        x.abort(reason);
    }

    /** The client went away: drop the upstream connection, which is in an unknown state. */
    private void clientClosed() {
        if (done) {
            return;
        }
        done = true;
        release(false);
    }

    private void logError(String what, String stage) {
        if (!log.isErrorEnabled()) {
            return;
        }
        String upstream = peer == null ? group.name : peer.name();
        log.error("{} while {}{}", what, stage,
                ErrorContext.of(hx, (tls != null ? "https://" : "http://") + upstream + uri));
    }
}
