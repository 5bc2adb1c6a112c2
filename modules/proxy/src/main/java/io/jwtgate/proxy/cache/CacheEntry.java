package io.jwtgate.proxy.cache;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * One stored response, as the zone's index keeps it: the full key (to tell md5 collisions apart), the status, the
 * headers without hop-by-hop ones, and the body when it is small enough to be kept in memory ({@code null} means
 * "read it from the file"). Immutable.
 *
 * @param key the evaluated {@code proxy_cache_key}
 * @param status the upstream's status, its reason phrase as it sent it (nginx's cache keeps its status line)
 * @param headers name/value pairs, in order
 * @param body the body, or {@code null} when only the file holds it
 * @param bodyLength the body's length in bytes
 * @param validUntil when the entry stops being fresh, in epoch milliseconds
 * @param fileSize the size of the entry's file in bytes (what {@code max_size} counts)
 * @param headOnly the upstream's answer to a {@code HEAD} ({@code proxy_cache_convert_head off}): no body, and its
 *     headers keep the upstream's {@code Content-Length}
 * @param stale how long after {@code validUntil} the entry may still be served while it is refreshed and when the
 *     upstream fails: the response's {@code Cache-Control: stale-while-revalidate} and {@code stale-if-error}
 */
record CacheEntry(String key, HttpResponseStatus status, List<String[]> headers, byte[] body, int bodyLength,
        long validUntil, long fileSize, boolean headOnly, StaleWindows stale) {

    /** {@code stale-while-revalidate} and {@code stale-if-error}, in milliseconds (nginx's updating and error). */
    record StaleWindows(long updatingMs, long errorMs) {
        static final StaleWindows NONE = new StaleWindows(0, 0);
    }

    boolean isFresh(long nowMillis) {
        return nowMillis < validUntil;
    }

    /** Whether {@code stale-while-revalidate} still covers the expired entry (as {@code use_stale updating}). */
    boolean staleWhileUpdating(long nowMillis) {
        return nowMillis <= validUntil + stale.updatingMs();
    }

    /** Whether {@code stale-if-error} still covers the expired entry (as {@code use_stale error timeout ...}). */
    boolean staleOnError(long nowMillis) {
        return nowMillis <= validUntil + stale.errorMs();
    }

    CacheEntry withBody(byte[] b) {
        return new CacheEntry(key, status, headers, b, bodyLength, validUntil, fileSize, headOnly, stale);
    }

    CacheEntry withoutBody() {
        return body == null ? this
                : new CacheEntry(key, status, headers, null, bodyLength, validUntil, fileSize, headOnly, stale);
    }

    /** The same entry, fresh until {@code until} ({@code proxy_cache_revalidate}). */
    CacheEntry validUntil(long until) {
        return new CacheEntry(key, status, headers, body, bodyLength, until, fileSize, headOnly, stale);
    }

    /** The first stored header {@code name} (case ignored), or {@code null}. */
    String header(String name) {
        for (String[] kv : headers) {
            if (kv[0].equalsIgnoreCase(name)) {
                return kv[1];
            }
        }
        return null;
    }
}
