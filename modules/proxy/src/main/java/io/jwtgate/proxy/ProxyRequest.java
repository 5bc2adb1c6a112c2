package io.jwtgate.proxy;

import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.proxy.cache.CacheFill;
import io.jwtgate.proxy.cache.CacheRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Iterator;
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
    enum Failure { ERROR, TIMEOUT, INVALID_HEADER }

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
    /** TLS to the upstream ({@code proxy_pass https://}), else {@code null}; and the SNI / verified name. */
    UpstreamTls tls;
    String tlsName;
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

    private String upstreamAddr;
    private String upstreamStatus;
    /** The last response head's headers as the upstream sent them, for {@code $upstream_http_*}. */
    private HttpHeaders upstreamHeaders;

    ProxyRequest(HttpExchange hx, ProxyConf conf, UpstreamGroup group, String uri, String proxyHost) {
        this.hx = hx;
        this.x = hx.downstream();
        this.conf = conf;
        this.group = group;
        this.local = group.on(x.loop());
        this.uri = uri;
        this.proxyHost = proxyHost;
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

    /** {@code $upstream_addr}: every peer tried, {@code , }-separated. */
    String upstreamAddr() {
        return upstreamAddr;
    }

    /** {@code $upstream_status}: the status of every try, {@code , }-separated. */
    String upstreamStatus() {
        return upstreamStatus;
    }

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

    void addAddr(String name) {
        upstreamAddr = upstreamAddr == null ? name : upstreamAddr + ", " + name;
    }

    void addStatus(int status) {
        String s = HttpResponseStatus.valueOf(status).codeAsText().toString(); // a known code's text is made once
        upstreamStatus = upstreamStatus == null ? s : upstreamStatus + ", " + s;
    }

    // ---- the steps

    void start() {
        x.onClose(this::clientClosed);
        peers.connect();
    }

    /** proxy_cache: starts with the cache's fill, which stores the response on its way to the client. */
    void start(CacheFill through) {
        x = through;
        fill = through;
        start();
    }

    /** Sends the request on a connection, new or from the pool. */
    void use(UpstreamHandler h) {
        conn = h;
        h.attach(relay);
        h.requests++;
        relay.begin(h);
        body.send(h.channel());
    }

    /** The upstream's {@code X-Accel-Expires} (or {@code null}), meant for the cache alone. */
    void accelExpires(String value) {
        if (fill != null) {
            fill.accelExpires(value);
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
        cancelTimer();
        if (fill != null && fill.upstreamFailed(status)) {
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
        release();
    }

    void logError(String what, String stage) {
        if (!log.isErrorEnabled()) {
            return;
        }
        Peer peer = peers.peer();
        String upstream = peer == null ? group.name : peer.name();
        log.error("{} while {}{}", what, stage,
                ErrorContext.of(hx, (tls != null ? "https://" : "http://") + upstream + uri));
    }
}
