package io.jwtgate.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.Reason;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The verified-token cache: from the exact token text to the decoded token and the signature verdict, so that a
 * client that reuses its access token costs one decode and one signature check, not one per request. Only decoding
 * and the signature are cached; revocation, {@code exp}/{@code nbf}, issuer, audience and every rule still run on
 * each request. An entry counts only for the same key sets (the same {@link KeySet} instances) it was checked
 * against, so a reload or a key rotation makes every older entry miss. A rejected signature is remembered for
 * {@value #NEGATIVE_SECONDS} seconds, so a flood of one forged token costs two verifications.
 *
 * <p>A verdict is cached only when its token is seen the second time: the first sight leaves a 32-bit fingerprint
 * in a small table ({@link #seenOnce}), the second finds it there. Tokens that do not repeat (many clients with a
 * token each) then cost a hash instead of an entry that lives long enough to be copied by the collector and
 * promoted, only to be evicted unread: with 100,000 distinct tokens that made the default configuration slower and
 * its p99 many times longer than the cache turned off (docs/performance.md).
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

    /** Bytes of a typical entry (a ~400-character token): how many tokens a full cache holds, for {@link #seenOnce}. */
    static final int TYPICAL_WEIGHT = 3 * 1024;
    /** Slots of {@link #seenOnce} a fingerprint may take. */
    private static final int WAYS = 4;

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
    private final InstantSource clock;
    /**
     * Tokens seen once and not cached: per slot a fingerprint ({@code String.hashCode}, never 0) in the high half and
     * in the low half the value of {@link #sightings} when it was seen; 0 is an empty slot. Buckets of {@value #WAYS}
     * slots chosen by the fingerprint, two to four times as many slots as the cache holds tokens; a full bucket
     * overwrites its slots in turn, so two tokens that share a bucket cannot keep pushing each other out. A token
     * counts as seen before only within {@link #horizon} sightings of other tokens: one that comes back after more
     * would have been evicted from a full cache before its next use, so an entry for it would only cost memory. Racy
     * on purpose (event loops share it): a lost write costs one more verification, a false match caches a token
     * early; the cache itself is keyed by the whole token.
     */
    private final long[] seenOnce;
    private final int horizon;
    private int sightings;
    private int nextVictim;

    TokenCache(long maxBytes, InstantSource clock) {
        this(maxBytes, clock, null);
    }

    /** A cache that reports its lookups and evictions to {@code stats} (the metrics), unless {@code null}. */
    TokenCache(long maxBytes, InstantSource clock, StatsCounter stats) {
        this.clock = clock;
        this.horizon = (int) Math.max(WAYS, Math.min(1 << 21, maxBytes / TYPICAL_WEIGHT));
        this.seenOnce = new long[Integer.highestOneBit(horizon - 1) << 2];
        Caffeine<Object, Object> builder = Caffeine.newBuilder();
        if (stats != null) {
            builder.recordStats(() -> stats);
        }
        this.cache = builder
                // maintenance (eviction, expiry) on the calling event loop: the default hands it to the common
                // ForkJoinPool, a thread wake-up (futex) every few requests that costs more than the work itself
                .executor(Runnable::run)
                // expiry on the clock the token's own exp is checked against
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
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

    private long lifetime(Entry e) {
        if (e.rejection() != null) {
            return NEGATIVE_SECONDS;
        }
        JsonNode exp = e.jws().payload().get("exp");
        if (exp != null && exp.isNumber()) {
            long left = exp.asLong() - Math.floorDiv(clock.millis(), 1000L);
            return Math.max(0, Math.min(left, MAX_SECONDS));
        }
        return MAX_SECONDS;
    }

    Entry get(String token) {
        return cache.getIfPresent(token);
    }

    /**
     * Remembers a verdict the caller has just reached, when the token was seen before: a token in the cache (an
     * older verdict with other keys) is replaced at once, any other one is cached the second time it comes.
     */
    void put(String token, Jws jws, List<KeySet> keys, Reason verdict) {
        if (token.length() <= MAX_TOKEN_CHARS && (cache.asMap().containsKey(token) || secondSight(token))) {
            cache.put(token, new Entry(jws, keys, verdict));
        }
    }

    /**
     * Whether the token was seen within the last {@link #horizon} first sightings (its slot is then emptied), else
     * records this sighting.
     */
    private boolean secondSight(String token) {
        int fingerprint = token.hashCode(); // computed already, for the cache's own lookup
        if (fingerprint == 0) {
            fingerprint = 1;
        }
        // spread as java.util.HashMap does, then the first slot of the bucket
        int bucket = (fingerprint ^ (fingerprint >>> 16)) & (seenOnce.length - WAYS);
        int now = sightings;
        int free = -1;
        for (int i = bucket; i < bucket + WAYS; i++) {
            long slot = seenOnce[i];
            if ((int) (slot >>> 32) == fingerprint) {
                seenOnce[i] = 0;
                if (now - (int) slot <= horizon) {
                    return true;
                }
                free = i;
            } else if (slot == 0 && free < 0) {
                free = i;
            }
        }
        seenOnce[free >= 0 ? free : bucket + (nextVictim++ & (WAYS - 1))] =
                (long) fingerprint << 32 | (now & 0xFFFFFFFFL);
        sightings = now + 1;
        return false;
    }

    /** The number of entries, for tests. */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** The number of entries as last counted, without running the cache's maintenance (the metrics). */
    long entries() {
        return cache.estimatedSize();
    }

    /** The estimated bytes held ({@link #weight(String)} summed), for the metrics. */
    long weight() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
