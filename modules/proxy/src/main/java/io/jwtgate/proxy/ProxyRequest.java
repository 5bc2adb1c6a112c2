package io.jwtgate.proxy;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.proxy.cache.CacheFill;
import io.jwtgate.proxy.cache.CacheRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request (nginx's {@code ngx_http_upstream_t}) and the proxy module's per-request state, which the
 * {@code $upstream_*} variables read. Its parts each do one job: {@link PeerConnector} picks a peer and connects
 * (and tries the next one after a failure), {@link RequestBodyPump} sends the request head and body,
 * {@link ResponseRelay} streams the response back. This class holds what they share: the connection in use, the
 * send and read timeouts, and the ways the request ends.
 *
 * <p>Lives on the client's event loop only.
 */
final class ProxyRequest extends Deadlines.Entry {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");

    /** nginx's failure types, as {@code proxy_next_upstream} names them. */
    enum Failure {
        ERROR(NextUpstream.ERROR), TIMEOUT(NextUpstream.TIMEOUT), INVALID_HEADER(NextUpstream.INVALID_HEADER);

        /** The {@code proxy_next_upstream} case. */
        final int nextCase;

        Failure(int nextCase) {
            this.nextCase = nextCase;
        }
    }

    /** The request as modules see it: variables, addresses, for the log. */
    final HttpExchange hx;
    /** Where the body comes from and the response goes: the request's downstream, or the cache's fill of it. */
    Downstream x;
    /** proxy_cache: the fill the response goes through, else {@code null}. */
    private CacheFill fill;
    final ProxyConf conf;
    final UpstreamGroup group;
    final UpstreamGroup.Local local;
    final String uri;
    final String proxyHost;
    /**
     * The method sent upstream: {@code proxy_method}'s, else the request's; {@code GET} for a {@code HEAD} through
     * the cache with {@code proxy_cache_convert_head} (set when the cache starts it).
     */
    String method;
    /** {@code proxy_set_body} evaluated (the bytes sent instead of the client's body), or {@code null}. */
    final byte[] setBody;
    /** TLS to the upstream ({@code proxy_pass https://}), else {@code null}; and the SNI / verified name. */
    UpstreamTls tls;
    String tlsName;
    /** The temporary files of buffered bodies (this configuration's). */
    TempFiles tempFiles;
    /** proxy_request_buffering: the client's body, read whole before the upstream is connected, else {@code null}. */
    RequestBodyBuffer bodyBuffer;
    /** proxy_cache: this request's way through the cache ({@code $upstream_cache_status}), or {@code null}. */
    CacheRequest cache;

    final PeerConnector peers;
    final RequestBodyPump body;
    final ResponseRelay relay;

    /** The upstream connection in use, or {@code null}. */
    UpstreamHandler conn;
    /** The request ended (answered, failed or abandoned): every late event is ignored. */
    boolean done;

    private long readDeadline;
    private long writeDeadline;

    /** Every try, for the {@code $upstream_*} variables (with those of earlier locations). */
    final UpstreamStates states;
    /** The last response head's headers as the upstream sent them, for {@code $upstream_http_*}. */
    private HttpHeaders upstreamHeaders;

    ProxyRequest(HttpExchange hx, ProxyConf conf, UpstreamGroup group, String uri, String proxyHost,
            UpstreamStates states) {
        this.hx = hx;
        this.states = states;
        this.x = hx.downstream();
        this.conf = conf;
        this.group = group;
        this.local = group.on(x.loop());
        this.uri = uri;
        this.proxyHost = proxyHost;
        this.method = conf.method() != null ? conf.method().evaluate(hx) : hx.method();
        this.setBody = conf.setBody() != null
                ? WireText.encode(conf.setBody().evaluate(hx)).getBytes(StandardCharsets.ISO_8859_1) : null;
        this.peers = new PeerConnector(this);
        this.body = new RequestBodyPump(this);
        this.relay = new ResponseRelay(this);
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

    /**
     * {@code $upstream_http_NAME}: the first header of the last response whose name is {@code name} with each
     * {@code _} read as {@code -}, case ignored, as nginx 1.22's.
     */
    String upstreamHeader(String name) {
        HttpHeaders h = upstreamHeaders;
        if (h == null) {
            return null;
        }
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence n = e.getKey();
            if (n.length() == name.length() && sameVariableName(n, name)) {
                return e.getValue().toString();
            }
        }
        return null;
    }

    private static boolean sameVariableName(CharSequence header, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = Character.toLowerCase(header.charAt(i));
            if ((c == '-' ? '_' : c) != Character.toLowerCase(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Keeps a copy of a response head's headers before the relay changes them for the client. */
    void upstreamHeaders(HttpHeaders headers) {
        upstreamHeaders = new DefaultHttpHeaders().add(headers);
    }

    /** {@code $upstream_cookie_NAME}: the cookie {@code name} of the last response's {@code Set-Cookie}s. */
    String upstreamCookie(String name) {
        return upstreamHeaders == null ? null
                : ProxyCookies.setCookieValue(upstreamHeaders.getAll(HttpHeaderNames.SET_COOKIE), name);
    }

    // ---- the steps

    void start() {
        x.onClose(this::clientClosed);
        if (bodyBuffer == null && bufferBody()) {
            readBody(peers::connect);
            return;
        }
        peers.connect();
    }

    /**
     * Reads the client's body whole ({@link #bufferBody}), then runs {@code then}. The cache asks for it before its
     * lookup, as nginx reads the body before it looks in the cache, so that the key may use {@code $request_body}.
     */
    void readBody(Runnable then) {
        bodyBuffer = new RequestBodyBuffer(this, conf.buffering(), tempFiles);
        hx.onRequestEnd(bodyBuffer::close);
        bodyBuffer.read(then);
    }

    /**
     * Whether the body is read whole before the upstream is connected: {@code proxy_request_buffering on} (and, as
     * nginx, whenever the client sends it chunked and the upstream speaks HTTP/1.0, which needs its length).
     */
    boolean bufferBody() {
        return conf.passRequestBody() && x.hasBody()
                && (conf.buffering().requestBuffering() || x.contentLength() < 0 && !conf.http11());
    }

    /** proxy_cache: starts with the cache's fill, which stores the response on its way to the client. */
    void start(CacheFill through) {
        x = through;
        fill = through;
        if (cache.convertsHead()) {
            method = "GET";
        }
        start();
    }

    /** Whether the response may be stored: the request head then asks for the whole response. */
    boolean fillsCache() {
        return fill != null && fill.cacheable() && conf.cacheHead() != null;
    }

    /** Sends the request on a connection, new or from the pool. */
    void use(UpstreamHandler h) {
        conn = h;
        h.attach(relay);
        h.requests++;
        relay.begin(h);
        body.send(h.channel());
    }

    /**
     * proxy_cache: the upstream's head as it came, hidden headers included, with the headers
     * {@code proxy_ignore_headers} names left out of the decision whether and how long to store it; and whether the
     * response is buffered, since nginx stores none it does not buffer.
     */
    void validityHeaders(ResponseHeaderPolicy policy, boolean buffered) {
        if (fill != null) {
            fill.validityHeaders(upstreamHeaders, policy.ignored(), buffered); // the copy the relay leaves alone
        }
    }

    /**
     * {@code proxy_intercept_errors}: the upstream's error status goes through the location's {@code error_page},
     * nginx's {@code ngx_http_upstream_intercept_errors}; a 401's {@code WWW-Authenticate} stays on the answer.
     */
    void intercept(int status, String challenge) {
        release();
        if (status == 401 && challenge != null) {
            hx.prepareResponse(401, StatusPages.page(401).withHeader("WWW-Authenticate", WireText.decode(challenge)));
        }
        finish(status);
    }

    /**
     * The upstream answered with {@code X-Accel-Redirect: target}: its connection and body are dropped, and the
     * request continues at the target with {@code kept} headers, or ends with 404 for an unsafe one.
     */
    void accelRedirect(String target, List<String[]> kept) {
        release();
        done = true;
        states.end();
        cancelTimer();
        if (fill != null) {
            fill.abandon();
        }
        AccelRedirect to = AccelRedirect.of(target);
        hx.keepForRedirect(kept, to != null && !to.named());
        if (to == null) {
            log.error("unsafe URI \"{}\" was detected{}", target, ErrorContext.of(hx));
            hx.finalizeRequest(404);
            return;
        }
        if (to.named()) {
            hx.namedLocation(to.uri().substring(1));
        } else {
            hx.internalRedirect(to.uri(), to.args());
        }
    }

    /**
     * The upstream switched protocols: the request's timers stop and its connection, which is never kept alive
     * after this, is handed over (the peer stays taken until the tunnel calls {@code peers.free}).
     */
    UpstreamHandler upgraded() {
        done = true;
        cancelTimer();
        relay.stopReading();
        UpstreamHandler h = conn;
        conn = null;
        h.detach();
        return h;
    }

    /** The response ended whole: the connection goes back to the pool when {@code reusable}, else it is closed. */
    void responseDone(boolean reusable) {
        done = true;
        states.end();
        cancelTimer();
        UpstreamHandler h = conn;
        conn = null;
        if (h != null) {
            if (reusable && local.pool != null) {
                local.pool.release(h);
            } else {
                h.detach();
                h.channel().close();
            }
        }
        peers.free(false);
    }

    // ---- timeouts

    void armRead() {
        readDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(conf.readTimeoutMs());
        local.deadlines.add(this);
    }

    void armWrite() {
        writeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(conf.sendTimeoutMs());
        local.deadlines.add(this);
    }

    /** A write to the upstream completed. */
    void writeDone() {
        writeDeadline = 0;
    }

    /** A read from the upstream completed. */
    void readDone() {
        readDeadline = 0;
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
            upstreamBroken(Failure.TIMEOUT, "upstream timed out (110: Connection timed out)", relay.stage());
        }
    }

    private void cancelTimer() {
        readDeadline = 0;
        writeDeadline = 0;
        local.deadlines.remove(this);
    }

    // ---- failures and endings

    /** The upstream failed: before the response head this may try the next peer; after it, the client is cut off. */
    void upstreamBroken(Failure failure, String what, String stage) {
        if (done) {
            return;
        }
        if (relay.clientHeadSent()) {
            logError(what, stage);
            release();
            abort(what + " while " + stage);
            return;
        }
        peers.next(failure, what, stage);
    }

    /** The client's body could not be read: 413, 408, 400, or 499 when the client went away. */
    void clientBodyFailed(int status) {
        if (done) {
            return;
        }
        if (status == 499) {
            clientClosed();
            return;
        }
        release();
        if (relay.clientHeadSent()) {
            abort("client request body failed with " + status);
        } else {
            finish(status);
        }
    }

    /** Closes the connection in use or being made, which is in an unknown state. */
    void dropConnection() {
        cancelTimer();
        relay.stopReading();
        UpstreamHandler h = conn;
        conn = null;
        if (h != null) {
            h.detach();
            h.channel().close();
        }
        peers.cancel();
    }

    /** Closes the upstream connection and ends the peer's attempt without blame. */
    private void release() {
        dropConnection();
        peers.free(false);
    }

    /** Ends the request with {@code status} (nginx's {@code ngx_http_finalize_request}), unless the cache answers. */
    void finish(int status) {
        done = true;
        states.end();
        cancelTimer();
        if (fill != null && fill.upstreamFailed(status)) {
            return; // proxy_cache_use_stale: the stale entry was served
        }
        hx.finalizeRequest(status);
    }

    private void abort(String reason) {
        done = true;
        states.end();
        cancelTimer();
        relay.discard();
        x.abort(reason);
    }

    /** A temporary file of the response failed: the client's response is cut off (logged as nginx's crit). */
    void bufferFailed(String what) {
        log.error("{}{}", what, ErrorContext.of(hx));
        release();
        abort(what);
    }

    /** The client went away: drop the upstream connection, which is in an unknown state. */
    private void clientClosed() {
        if (done) {
            return;
        }
        done = true;
        states.end();
        release();
    }

    void logError(String what, String stage) {
        if (log.isErrorEnabled()) {
            log.error("{} while {}{}", what, stage, errorContext());
        }
    }

    /** The request's context for the error log, with the upstream of the current attempt. */
    String errorContext() {
        Peer peer = peers.peer();
        String upstream = peer == null ? group.name : peer.name();
        return ErrorContext.of(hx, (tls != null ? "https://" : "http://") + upstream + uri);
    }
}
