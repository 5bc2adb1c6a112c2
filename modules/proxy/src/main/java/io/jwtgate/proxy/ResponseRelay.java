package io.jwtgate.proxy;

import io.jwtgate.core.conf.Errno;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

/**
 * The receiving part of a {@link ProxyRequest}: reads the upstream's response and streams it to the downstream.
 * With {@code proxy_buffering off} the upstream is read again only after the downstream took the previous piece, so
 * a slow client slows the upstream down; with it on, the body goes through a {@link ResponseBuffer}, and the
 * upstream is read as long as that has room. Interim responses are skipped; an error the location's
 * {@code error_page} answers ({@code proxy_intercept_errors}) and an {@code X-Accel-Redirect} end the upstream's
 * part; otherwise the head goes through the location's {@link ResponseHeaderPolicy} and gets the framing the client's
 * protocol needs.
 *
 * <p>Lives on the client's event loop only. Owns every message the upstream handler gives it, and passes each on
 * or releases it.
 */
final class ResponseRelay implements UpstreamHandler.Listener {

    private static final AsciiString X_ACCEL_REDIRECT = AsciiString.cached("X-Accel-Redirect");
    private static final AsciiString X_ACCEL_BUFFERING = AsciiString.cached("X-Accel-Buffering");
    private static final AsciiString X_ACCEL_LIMIT_RATE = AsciiString.cached("X-Accel-Limit-Rate");

    private final ProxyRequest r;
    private final ChannelFutureListener clientWritten = this::clientWritten;

    private boolean headReceived;
    private boolean clientHeadSent;
    private boolean upstreamKeepAlive;
    private boolean skipInterim;
    private boolean reading;
    private int clientWrites;
    /** proxy_buffering: the response body's way to the client, else {@code null} (relayed piece by piece). */
    private ResponseBuffer buffer;

    ResponseRelay(ProxyRequest r) {
        this.r = r;
    }

    /** Whether the response head went to the client: from then on a failure can only cut the response off. */
    boolean clientHeadSent() {
        return clientHeadSent;
    }

    /** What the request waits for from the upstream, for the error log. */
    String stage() {
        return headReceived ? "reading upstream" : "reading response header from upstream";
    }

    /** Starts reading the response on {@code h}, a new attempt. */
    void begin(UpstreamHandler h) {
        skipInterim = false;
        h.decoder.headRequest(r.method.equalsIgnoreCase("HEAD")); // no body follows an answer to HEAD sent upstream
        reading = true;
        h.channel().read();
    }

    /** The whole request went out: the read timeout runs from now while a read is pending. */
    void requestSent() {
        if (reading) {
            r.armRead();
        }
    }

    /** The connection is gone: no read is pending any more. */
    void stopReading() {
        reading = false;
    }

    @Override
    public void onUpstreamMessage(Object msg) {
        if (r.done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse resp) {
            head(resp);
            return;
        }
        if (!(msg instanceof HttpContent content)) {
            ReferenceCountUtil.release(msg);
            return;
        }
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
            r.upstreamBroken(ProxyRequest.Failure.ERROR, cause instanceof PrematureChannelClosureException
                    ? "upstream prematurely closed connection" : "upstream sent invalid response body ("
                    + cause.getMessage() + ")", "reading upstream");
            return;
        }
        if (content instanceof LastHttpContent last) {
            done(last);
            return;
        }
        if (buffer != null) {
            buffer.add(content);
            return;
        }
        clientWrites++;
        r.x.sendBody(content).addListener(clientWritten);
    }

    private void head(HttpResponse resp) {
        if (resp.decoderResult().isFailure()) {
            Throwable cause = resp.decoderResult().cause();
            ReferenceCountUtil.release(resp);
            if (cause instanceof PrematureChannelClosureException) {
                r.upstreamBroken(ProxyRequest.Failure.ERROR, "upstream prematurely closed connection", stage());
            } else if (cause instanceof TooLongFrameException) {
                r.upstreamBroken(ProxyRequest.Failure.INVALID_HEADER, "upstream sent too big header", stage());
            } else {
                r.upstreamBroken(ProxyRequest.Failure.INVALID_HEADER, "upstream sent no valid HTTP/1.0 header",
                        stage());
            }
            return;
        }
        int code = resp.status().code();
        boolean upgrade = code == 101 && Tunnel.asked(r);
        if (code < 200 && !upgrade) {
            ReferenceCountUtil.release(resp);
            if (code == 101) {
                r.upstreamBroken(ProxyRequest.Failure.INVALID_HEADER, "upstream sent unexpected 101 response",
                        stage());
                return;
            }
            // interim response (100 Continue, 103 Early Hints): skip it and its empty body, wait for the final one
            skipInterim = true;
            return;
        }
        r.states.headerReceived(code);
        if (r.peers.nextOnStatus(code)) {
            ReferenceCountUtil.release(resp); // proxy_next_upstream http_*: the next peer answers instead
            return;
        }
        headReceived = true;
        r.states.status(code);
        HttpHeaders h = resp.headers();
        r.upstreamHeaders(h);
        upstreamKeepAlive = resp.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && !h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        boolean chunked = HttpUtil.isTransferEncodingChunked(resp);
        boolean bodyless = upgrade || code == 204 || code == 304 || r.x.request().method() == HttpMethod.HEAD;
        boolean sized = h.contains(HttpHeaderNames.CONTENT_LENGTH);
        if (!bodyless && !sized && !chunked) {
            upstreamKeepAlive = false; // the body ends when the upstream closes
        }
        ResponseHeaderPolicy policy = r.conf.response();
        if (code >= 300 && policy.interceptErrors() && r.hx.location().core().errorPage(code) != null) {
            String challenge = h.get(HttpHeaderNames.WWW_AUTHENTICATE);
            ReferenceCountUtil.release(resp);
            r.intercept(code, challenge);
            return;
        }
        String accel = h.get(X_ACCEL_REDIRECT);
        if (accel != null && !policy.ignores("x-accel-redirect")) {
            ReferenceCountUtil.release(resp);
            r.accelRedirect(accel, AccelRedirect.keptHeaders(r.hx, h, policy.cookies()));
            return;
        }
        if (!upgrade) {
            r.states.bodyStarts(r.conn.decoder.unread()); // the body counts from here ($upstream_response_length)
        }
        boolean buffered = buffering(h, policy);
        r.validityHeaders(policy, buffered); // the cache decides on the upstream's headers, hidden ones included
        limitRate(h.get(X_ACCEL_LIMIT_RATE), policy);
        if (!bodyless && buffered) {
            buffer = new ResponseBuffer(r, r.x, r.conf.buffering(), r.tempFiles, this::maybeRead);
            r.hx.onRequestEnd(buffer::close);
        } else {
            r.hx.setLimitRate(0); // nginx's unbuffered relay goes at the upstream's pace: no limit_rate
        }
        policy.apply(r.hx, h);
        if (!bodyless && !sized && r.x.request().protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        resp.setProtocolVersion(HttpVersion.HTTP_1_1);
        clientHeadSent = true;
        if (upgrade) {
            Tunnel.start(r, resp);
            return;
        }
        r.x.sendHead(resp);
    }

    /** The upstream's {@code X-Accel-Limit-Rate}: bytes per second, digits only, as nginx's ngx_atoi reads it. */
    private void limitRate(String value, ResponseHeaderPolicy policy) {
        if (value == null || value.isEmpty() || policy.ignores("x-accel-limit-rate") || value.length() > 18
                || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return;
        }
        r.hx.setLimitRate(Long.parseLong(value));
    }

    /**
     * {@code proxy_buffering}, or the upstream's {@code X-Accel-Buffering: yes|no} (case ignored, the last one
     * wins, anything else is no answer) unless {@code proxy_ignore_headers} names it, as nginx's
     * {@code ngx_http_upstream_process_buffering}.
     */
    private boolean buffering(HttpHeaders h, ResponseHeaderPolicy policy) {
        boolean on = r.conf.buffering().buffering();
        if (policy.ignores("x-accel-buffering")) {
            return on;
        }
        for (String v : h.getAll(X_ACCEL_BUFFERING)) {
            if (v.equalsIgnoreCase("yes")) {
                on = true;
            } else if (v.equalsIgnoreCase("no")) {
                on = false;
            }
        }
        return on;
    }

    private void done(LastHttpContent last) {
        if (!last.trailingHeaders().isEmpty()) {
            last.trailingHeaders().clear(); // nginx passes no trailers without proxy_pass_trailers
        }
        // the upstream connection is free now, even while a buffered body still goes out to a slow client
        r.responseDone(upstreamKeepAlive && r.body.sent());
        if (buffer != null) {
            buffer.end(last);
        } else {
            r.x.endResponse(last);
        }
    }

    /** The request ends without its response: drops what is buffered for the client. */
    void discard() {
        if (buffer != null) {
            buffer.close();
        }
    }

    private void clientWritten(ChannelFuture f) {
        clientWrites--;
        if (f.isSuccess()) {
            maybeRead();
        }
        // on failure the client connection closes, and the request's close listener cleans up
    }

    @Override
    public void onUpstreamReadComplete() {
        reading = false;
        r.readDone();
        maybeRead();
    }

    private void maybeRead() {
        UpstreamHandler conn = r.conn;
        if (r.done || reading || conn == null || (buffer != null ? buffer.full() : clientWrites > 0)) {
            return;
        }
        reading = true;
        conn.channel().read();
        if (r.body.sent()) {
            r.armRead();
        }
    }

    @Override
    public void onUpstreamClosed() {
        r.conn = null;
        if (r.done) {
            return;
        }
        r.upstreamBroken(ProxyRequest.Failure.ERROR, "upstream prematurely closed connection", stage());
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        if (r.done) {
            return;
        }
        r.upstreamBroken(ProxyRequest.Failure.ERROR, "recv() failed (" + Errno.describe(cause) + ")",
                !r.body.sent() ? "sending request to upstream" : stage());
    }
}
