package io.jwtgate.jwt;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.Metrics;
import io.jwtgate.jose.Reason;

/**
 * The JWT module's metrics in one configuration (docs/operations.md#metrics), every series resolved here, at load
 * time: verdicts by reason ({@code $jwt_status}'s word), key fetches by {@code jwt_key_request} source and outcome,
 * keys known per source, and the verified-token cache's requests, evictions, entries and bytes.
 */
final class JwtMetrics {

    private final Counter accepted;
    /** By {@link Reason} ordinal. */
    private final Counter[] rejected;
    private final Metrics.Family<Counter> fetches;
    private final Metrics.Gauges keys;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter cacheEvictions;
    private final Metrics metrics;

    JwtMetrics(Metrics metrics) {
        this.metrics = metrics;
        Metrics.Family<Counter> verdicts = metrics.counter("jwtgate_jwt_verdicts_total",
                "JWT checks by result (accepted, rejected) and reason ($jwt_status: ok or the rejection's word)",
                "result", "reason");
        accepted = verdicts.labels("accepted", "ok");
        rejected = new Counter[Reason.values().length];
        for (Reason r : Reason.values()) {
            rejected[r.ordinal()] = verdicts.labels("rejected", r.word());
        }
        fetches = metrics.counter("jwtgate_jwt_key_fetches_total",
                "jwt_key_request fetches by source (its URI as written) and outcome (ok, refresh, failed)",
                "location", "outcome");
        keys = metrics.gauge("jwtgate_jwt_keys", "Keys in the last key set a jwt_key_request source answered",
                "location");
        Metrics.Family<Counter> requests = metrics.counter("jwtgate_jwt_token_cache_requests_total",
                "Verified-token cache lookups by result (hit, miss)", "result");
        cacheHits = requests.labels("hit");
        cacheMisses = requests.labels("miss");
        cacheEvictions = metrics.counter("jwtgate_jwt_token_cache_evictions_total",
                "Verified-token cache entries evicted for size or expired").labels();
    }

    /** Counts a verdict: {@code null} for a token accepted. */
    void verdict(Reason r) {
        (r == null ? accepted : rejected[r.ordinal()]).inc();
    }

    /** Resolves a key source's series and shows the size of its last key set. */
    void keySource(KeyRequest source) {
        String name = source.toString();
        source.counts(fetches.labels(name, "ok"), fetches.labels(name, "refresh"), fetches.labels(name, "failed"));
        keys.sample(source::keyCount, name);
    }

    /** Shows the token cache's entries and bytes; its requests and evictions are counted by {@link #cacheStats}. */
    void tokenCache(TokenCache cache) {
        metrics.gauge("jwtgate_jwt_token_cache_entries", "Entries in the verified-token cache").sample(cache::entries);
        metrics.gauge("jwtgate_jwt_token_cache_bytes", "Estimated bytes the verified-token cache holds "
                + "(jwt_token_cache bounds it)").sample(cache::weight);
    }

    /** What the token cache reports its lookups and evictions to. */
    StatsCounter cacheStats() {
        return new StatsCounter() {
            @Override
            public void recordHits(int count) {
                cacheHits.add(count);
            }

            @Override
            public void recordMisses(int count) {
                cacheMisses.add(count);
            }

            @Override
            public void recordLoadSuccess(long loadTime) {
                // the cache is never loaded through: entries are put
            }

            @Override
            public void recordLoadFailure(long loadTime) {
                // the cache is never loaded through: entries are put
            }

            @Override
            public void recordEviction(int weight, RemovalCause cause) {
                cacheEvictions.inc();
            }

            @Override
            public CacheStats snapshot() {
                return CacheStats.of(cacheHits.value(), cacheMisses.value(), 0, 0, 0, cacheEvictions.value(), 0);
            }
        };
    }
}
