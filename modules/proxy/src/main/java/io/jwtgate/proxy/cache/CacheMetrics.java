package io.jwtgate.proxy.cache;

import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.Metrics;
import java.util.Collection;

/**
 * The cache zones' metrics (docs/operations.md#metrics): each zone's answers by {@code $upstream_cache_status},
 * counted once per request when its answer is chosen, and the entries and bytes the zone holds, read at a scrape.
 * The series are resolved when the configuration is loaded.
 */
final class CacheMetrics {

    /** The {@code $upstream_cache_status} words, each a series of every zone. */
    private static final String[] RESULTS = {"HIT", "MISS", "EXPIRED", "STALE", "UPDATING", "REVALIDATED", "BYPASS"};

    /** One zone's answers, by result. */
    private final Counter[] results = new Counter[RESULTS.length];

    private CacheMetrics(Metrics.Family<Counter> requests, String zone) {
        for (int i = 0; i < RESULTS.length; i++) {
            results[i] = requests.labels(zone, RESULTS[i]);
        }
    }

    /** Declares the families and gives every zone its series. */
    static void measure(Metrics m, Collection<CacheZone> zones) {
        Metrics.Family<Counter> requests = m.counter("jwtgate_cache_requests_total",
                "Requests through a proxy_cache zone, by result ($upstream_cache_status)", "zone", "result");
        Metrics.Gauges entries = m.gauge("jwtgate_cache_entries", "Entries a proxy_cache zone indexes", "zone");
        Metrics.Gauges bytes = m.gauge("jwtgate_cache_bytes",
                "Bytes of the files of a proxy_cache zone's entries (what max_size bounds)", "zone");
        for (CacheZone z : zones) {
            z.metrics = new CacheMetrics(requests, z.name);
            entries.sample(z::entries, z.name);
            bytes.sample(z::bytes, z.name);
        }
    }

    /** Counts an answer of result {@code status} ({@code $upstream_cache_status}): no lookup, no lock. */
    void count(String status) {
        int i = switch (status) {
            case "HIT" -> 0;
            case "MISS" -> 1;
            case "EXPIRED" -> 2;
            case "STALE" -> 3;
            case "UPDATING" -> 4;
            case "REVALIDATED" -> 5;
            default -> 6;
        };
        results[i].inc();
    }
}
