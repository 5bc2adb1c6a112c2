package io.jwtgate.jwt;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.KeySetParser;
import io.jwtgate.jose.KeySetResult;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
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
    final KeyFiles.Format format;
    private final CryptoProvider crypto;
    private final Map<ByteBuffer, KeySetResult> memo = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, KeySetResult> eldest) {
            return size() > MEMO_SIZE;
        }
    };
    private final AtomicLong nextRefreshNanos = new AtomicLong(Long.MIN_VALUE);

    KeyRequest(ComplexValue uri, KeyFiles.Format format, CryptoProvider crypto) {
        this.uri = uri;
        this.format = format;
        this.crypto = crypto;
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
        KeySetResult r = format == KeyFiles.Format.KEYVAL ? KeySetParser.keyval(body, crypto)
                : KeySetParser.jwks(body, crypto);
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

    @Override
    public String toString() {
        return uri.raw();
    }
}
