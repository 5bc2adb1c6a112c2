package io.jwtgate.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.Reason;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The verified-token cache: from the exact token text to the decoded token and the signature verdict, so that a
 * client that reuses its access token costs one decode and one signature check, not one per request. Only decoding
 * and the signature are cached; revocation, {@code exp}/{@code nbf}, issuer, audience and every rule still run on
 * each request. An entry counts only for the same key sets (the same {@link KeySet} instances) it was checked
 * against, so a reload or a key rotation makes every older entry miss. A rejected signature is remembered for
 * {@value #NEGATIVE_SECONDS} seconds, so a flood of one forged token costs one verification.
 *
 * <p>Bounded by an estimate of the bytes it holds ({@code jwt_token_cache}, default 16m); entries live at most until
 * the token's {@code exp} and never longer than {@value #MAX_SECONDS} seconds.
 */
final class TokenCache {

    static final long DEFAULT_BYTES = 16L * 1024 * 1024;
    static final long MAX_SECONDS = 600;
    static final long NEGATIVE_SECONDS = 10;
    /** Tokens above this size are not cached: they are rare, and would crowd out many ordinary ones. */
    static final int MAX_TOKEN_CHARS = 8192;

    /**
     * A cached verdict.
     *
     * @param jws the decoded token
     * @param keys the key sets the signature was checked against
     * @param rejection {@code null} when the signature verified, else why it did not
     */
    record Entry(Jws jws, List<KeySet> keys, Reason rejection) {

        /** Whether this verdict was reached with exactly these key sets. */
        boolean matches(List<KeySet> current) {
            if (keys == current) {
                return true;
            }
            if (keys.size() != current.size()) {
                return false;
            }
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i) != current.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Cache<String, Entry> cache;

    TokenCache(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                // maintenance (eviction, expiry) on the calling event loop: the default hands it to the common
                // ForkJoinPool, a thread wake-up (futex) every few requests that costs more than the work itself
                .executor(Runnable::run)
                .maximumWeight(maxBytes)
                .weigher((String token, Entry e) -> weight(token))
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String token, Entry e, long currentTime) {
                        return TimeUnit.SECONDS.toNanos(lifetime(e));
                    }

                    @Override
                    public long expireAfterUpdate(String token, Entry e, long currentTime, long currentDuration) {
                        return TimeUnit.SECONDS.toNanos(lifetime(e));
                    }

                    @Override
                    public long expireAfterRead(String token, Entry e, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /**
     * Bytes an entry holds, roughly: the token text, its ASCII copy and decoded parts, the JSON trees (a few times the
     * payload), and fixed overhead.
     */
    static int weight(String token) {
        return 6 * token.length() + 512;
    }

    private static long lifetime(Entry e) {
        if (e.rejection() != null) {
            return NEGATIVE_SECONDS;
        }
        JsonNode exp = e.jws().payload().get("exp");
        if (exp != null && exp.isNumber()) {
            long left = exp.asLong() - System.currentTimeMillis() / 1000;
            return Math.max(0, Math.min(left, MAX_SECONDS));
        }
        return MAX_SECONDS;
    }

    Entry get(String token) {
        return cache.getIfPresent(token);
    }

    void put(String token, Jws jws, List<KeySet> keys, Reason verdict) {
        if (token.length() <= MAX_TOKEN_CHARS) {
            cache.put(token, new Entry(jws, keys, verdict));
        }
    }

    /** The number of entries, for tests. */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
