package io.jwtgate.proxy.cache;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.var.ComplexValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A location's merged cache settings. Every field is inherited from the enclosing level when unset, as nginx's
 * {@code ngx_http_proxy_merge_loc_conf} does; {@code proxy_cache_valid}, {@code proxy_cache_bypass} and
 * {@code proxy_no_cache} are inherited as a whole.
 *
 * @param zone the {@code proxy_cache} zone, or {@code null} for {@code off} (the default)
 * @param key {@code proxy_cache_key}, or {@code null} for the default {@code $scheme$proxy_host$request_uri}
 * @param valid {@code proxy_cache_valid} rules in order
 * @param useStale {@code proxy_cache_use_stale} as a bit set of {@link #STALE_ERROR} and the others; 0 for off
 * @param lock {@code proxy_cache_lock} (jwtgate default on, see docs/cache.md)
 * @param lockTimeoutMs {@code proxy_cache_lock_timeout} (default 5s)
 * @param lockAgeMs {@code proxy_cache_lock_age} (default 5s)
 * @param backgroundUpdate {@code proxy_cache_background_update} (default off)
 * @param bypass {@code proxy_cache_bypass} values
 * @param noCache {@code proxy_no_cache} values
 * @param post {@code proxy_cache_methods} names {@code POST} ({@code GET} and {@code HEAD} always are)
 * @param convertHead {@code proxy_cache_convert_head} (default on)
 * @param minUses {@code proxy_cache_min_uses} (default 1)
 * @param revalidate {@code proxy_cache_revalidate} (default off)
 * @param maxRangeOffset {@code proxy_cache_max_range_offset}, {@link Long#MAX_VALUE} when unset
 */
public record CacheConf(ZoneRef zone, ComplexValue key, List<Valid> valid, int useStale, boolean lock,
        long lockTimeoutMs, long lockAgeMs, boolean backgroundUpdate, List<ComplexValue> bypass,
        List<ComplexValue> noCache, boolean post, boolean convertHead, int minUses, boolean revalidate,
        long maxRangeOffset) {

    public static final int STALE_ERROR = 1;
    public static final int STALE_TIMEOUT = 2;
    public static final int STALE_UPDATING = 4;
    public static final int STALE_HTTP_500 = 8;
    public static final int STALE_HTTP_502 = 16;
    public static final int STALE_HTTP_503 = 32;
    public static final int STALE_HTTP_504 = 64;
    public static final int STALE_INVALID_HEADER = 128;
    public static final int STALE_HTTP_403 = 256;
    public static final int STALE_HTTP_404 = 512;
    public static final int STALE_HTTP_429 = 1024;

    /** One {@code proxy_cache_valid} line: the codes it names (empty for {@code any}) and the time. */
    record Valid(int[] codes, long millis) {
        boolean any() {
            return codes.length == 0;
        }
    }

    /** A {@code proxy_cache} zone name, resolved to the zone once every {@code proxy_cache_path} is read. */
    public static final class ZoneRef {
        final String name;
        final ConfDirective where;
        CacheZone zone;

        ZoneRef(String name, ConfDirective where) {
            this.name = name;
            this.where = where;
        }
    }

    /** A level's cache settings while the configuration is read; {@code null} means unset here. */
    public static final class Draft {
        ZoneRef zone;
        boolean off;
        ComplexValue key;
        List<Valid> valid;
        Integer useStale;
        Boolean lock;
        Long lockTimeoutMs;
        Long lockAgeMs;
        Boolean backgroundUpdate;
        List<ComplexValue> bypass;
        List<ComplexValue> noCache;
        Boolean post;
        /** The lower-case words {@code proxy_cache_methods} named at this level. */
        final Set<String> methodsSeen = new HashSet<>();
        Boolean convertHead;
        Integer minUses;
        Boolean revalidate;
        Long maxRangeOffset;

        void addValid(Valid v) {
            if (valid == null) {
                valid = new ArrayList<>();
            }
            valid.add(v);
        }

        void addBypass(ComplexValue v) {
            if (bypass == null) {
                bypass = new ArrayList<>();
            }
            bypass.add(v);
        }

        void addNoCache(ComplexValue v) {
            if (noCache == null) {
                noCache = new ArrayList<>();
            }
            noCache.add(v);
        }
    }

    /** Resolves {@code d} against the parent's merged settings ({@code null} at the top). */
    public static CacheConf merge(CacheConf parent, Draft d) {
        CacheConf p = parent != null ? parent
                : new CacheConf(null, null, List.of(), 0, true, 5_000, 5_000, false, List.of(), List.of(), false, true,
                        1, false, Long.MAX_VALUE);
        if (d == null) {
            return p;
        }
        ZoneRef zone = d.off ? null : d.zone != null ? d.zone : p.zone;
        return new CacheConf(zone,
                d.key != null ? d.key : p.key,
                d.valid != null ? List.copyOf(d.valid) : p.valid,
                d.useStale != null ? d.useStale : p.useStale,
                d.lock != null ? d.lock : p.lock,
                d.lockTimeoutMs != null ? d.lockTimeoutMs : p.lockTimeoutMs,
                d.lockAgeMs != null ? d.lockAgeMs : p.lockAgeMs,
                d.backgroundUpdate != null ? d.backgroundUpdate : p.backgroundUpdate,
                d.bypass != null ? List.copyOf(d.bypass) : p.bypass,
                d.noCache != null ? List.copyOf(d.noCache) : p.noCache,
                d.post != null ? d.post : p.post,
                d.convertHead != null ? d.convertHead : p.convertHead,
                d.minUses != null ? d.minUses : p.minUses,
                d.revalidate != null ? d.revalidate : p.revalidate,
                d.maxRangeOffset != null ? d.maxRangeOffset : p.maxRangeOffset);
    }

    /** Whether an expired entry may be served while it is refreshed ({@code proxy_cache_use_stale updating}). */
    boolean staleWhileUpdating() {
        return (useStale & STALE_UPDATING) != 0;
    }

    /** Whether {@code proxy_cache} names a zone here. */
    public boolean enabled() {
        return zone != null;
    }

    /** The {@code proxy_cache_valid} time for a status, or 0 when the status is not cached. */
    long validFor(int status) {
        for (Valid v : valid) {
            for (int c : v.codes) {
                if (c == status) {
                    return v.millis;
                }
            }
        }
        for (Valid v : valid) {
            if (v.any()) {
                return v.millis;
            }
        }
        return 0;
    }
}
