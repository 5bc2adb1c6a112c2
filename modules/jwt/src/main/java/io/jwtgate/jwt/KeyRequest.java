package io.jwtgate.jwt;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.KeyFormat;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.KeySetParser;
import io.jwtgate.jose.KeySetResult;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code jwt_key_request <uri> [jwks|keyval]} source (docs/jwt.md#jwt_key_request): the location to ask, the
 * format of its answer, the parsed key sets remembered by response body (so that an answer served from
 * {@code proxy_cache} costs no JSON parsing and no key decoding), and the limiter of forced refreshes for unknown
 * {@code kid}s.
 * Shared by every location that inherits the directive; thread-safe.
 */
final class KeyRequest {

    /** Key documents are at most 256 KiB (docs/jwt.md#input-limits). */
    static final int MAX_BODY = KeySetParser.MAX_DOCUMENT_BYTES;
    /** Distinct bodies remembered per source: the current key set, the previous one during a rotation, a spare. */
    private static final int MEMO_SIZE = 4;

    final ComplexValue uri;
    final KeyFormat format;
    /** The directive, for the checks at load time. */
    final ConfDirective where;
    private final CryptoProvider crypto;
    private final Map<ByteBuffer, KeySetResult> memo = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, KeySetResult> eldest) {
            return size() > MEMO_SIZE;
        }
    };
    private final AtomicLong nextRefreshNanos = new AtomicLong(Long.MIN_VALUE);
    /** This source's fetch counts, set in post-configuration ({@link JwtMetrics#keySource}). */
    private Counter fetchedOk;
    private Counter fetchedRefresh;
    private Counter fetchFailed;
    /** Keys in the last key set this source answered, for the metrics. */
    private volatile int keyCount;

    KeyRequest(ComplexValue uri, KeyFormat format, ConfDirective where, CryptoProvider crypto) {
        this.uri = uri;
        this.format = format;
        this.where = where;
        this.crypto = crypto;
    }

    /**
     * Checked for each location {@code lc} that uses this source: a constant URI must reach a location of
     * {@code lc}'s server, or every request would fail; a target that proxies without a cache draws a warning, once
     * per directive and target ({@code seen}). URIs with variables are evaluated per request and not checked
     * (docs/jwt.md#jwt_key_request).
     */
    void checkTarget(HttpInit init, LocationConf lc, Set<List<Object>> seen) throws ConfException {
        if (!uri.isConstant()) {
            return;
        }
        String path = uri.constant();
        LocationConf target = init.subrequestTarget(lc, path);
        if (target == null) {
            throw where.error("no location of the server matches \"%s\" in \"%s\" directive", path, where.name());
        }
        if (init.contentOrigin(target) == ContentOrigin.UPSTREAM && seen.add(List.of(this, target))) {
            init.warn(where, "\"jwt_key_request " + path + "\" reaches location \"" + target.name() + "\", which "
                    + "proxies without a cache: keys will be fetched from the identity provider on every request; "
                    + "add \"proxy_cache <zone>;\" and \"proxy_cache_valid 200 5m;\" to that location");
        }
    }

    /** The URI for this request; empty means the source is skipped (a {@code $variable} that is empty). */
    String uri(HttpExchange x) {
        return uri.evaluate(x);
    }

    /** Why a subrequest's answer cannot be used, or {@code null} when its body may be parsed. */
    static String unusable(SubrequestResult r) {
        if (r.status() != 200) {
            return "status " + r.status();
        }
        if (!r.complete()) {
            return "body larger than " + MAX_BODY + " bytes or cut short";
        }
        String enc = r.header("content-encoding");
        if (enc != null && !enc.equalsIgnoreCase("identity")) {
            return "Content-Encoding \"" + enc + "\"";
        }
        return null;
    }

    /** The key set for a body already parsed, or {@code null} when this body has not been seen. */
    synchronized KeySetResult remembered(byte[] body) {
        return memo.get(ByteBuffer.wrap(body));
    }

    /** Parses a body (pure, may run off the event loop) and remembers the result. */
    KeySetResult parse(byte[] body) {
        KeySetResult r = format.parse(body, crypto);
        synchronized (this) {
            memo.put(ByteBuffer.wrap(body), r);
        }
        return r;
    }

    /**
     * Whether a forced refresh may run now; at most one per {@code intervalNanos}, so a flood of tokens with random
     * kids causes at most one fetch per interval.
     */
    boolean tryRefresh(long intervalNanos) {
        long now = System.nanoTime();
        long next = nextRefreshNanos.get();
        if (next != Long.MIN_VALUE && now - next < 0) {
            return false;
        }
        return nextRefreshNanos.compareAndSet(next, now + intervalNanos);
    }

    void counts(Counter ok, Counter refresh, Counter failed) {
        this.fetchedOk = ok;
        this.fetchedRefresh = refresh;
        this.fetchFailed = failed;
    }

    /** A fetch answered a usable key set: counted as a forced refresh or an ordinary fetch. */
    void fetched(KeySet keys, boolean refresh) {
        (refresh ? fetchedRefresh : fetchedOk).inc();
        keyCount = keys.size();
    }

    /** A fetch failed (no answer, error status, unusable document). */
    void fetchFailed() {
        fetchFailed.inc();
    }

    int keyCount() {
        return keyCount;
    }

    @Override
    public String toString() {
        return uri.raw();
    }
}
