package io.jwtgate.proxy.cache;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Whether and for how long an upstream response is stored (docs/cache.md, "What is stored"). */
final class Storable {

    /** Statuses that Cache-Control max-age may make cacheable (docs/cache.md#what-is-stored lists them). */
    private static final Set<Integer> HEADER_CACHEABLE =
            Set.of(200, 203, 204, 206, 300, 301, 302, 307, 308, 404, 405, 410, 414, 501);
    private static final String X_ACCEL_EXPIRES = "X-Accel-Expires";
    private static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "proxy-connection", "upgrade", "trailer", "te");

    private Storable() {
    }

    /**
     * The entry to store for a response head, without its body, or {@code null} when the response must not be
     * cached: {@code Set-Cookie}, {@code Vary: *}, a validity header saying so, a status no
     * {@code proxy_cache_valid} names, or a declared length over {@link CacheRequest#MAX_STORED_BODY}. The decision
     * reads {@code validity}, the upstream's headers as it sent them, but for the lower-case names {@code ignored}
     * ({@code proxy_ignore_headers}); what is stored is {@code resp}, the head as the client gets it.
     *
     * <p>The upstream's own validity wins over {@code proxy_cache_valid}, first found of: {@code X-Accel-Expires}
     * (seconds, {@code @} and a Unix time, {@code 0} for "do not cache"; it overrides the two others),
     * {@code Cache-Control} ({@code no-store}, {@code no-cache}, {@code private}, {@code max-age=0}: not cached;
     * {@code s-maxage}, else {@code max-age}), {@code Expires} (a date in the past, or not a date: not cached). A
     * time from these headers applies to the statuses {@link #HEADER_CACHEABLE}; other statuses use
     * {@code proxy_cache_valid}, but a "do not cache" stops them too. A {@code headOnly} answer (to a {@code HEAD}
     * sent upstream) keeps its {@code Content-Length}, which a hit then answers with.
     */
    static CacheEntry entry(CacheConf conf, String key, long now, HttpResponse resp, HttpHeaders validity,
            Set<String> ignored, boolean headOnly) {
        int code = resp.status().code();
        HttpHeaders h = resp.headers();
        if (refused(validity, ignored, now)) {
            return null;
        }
        long valid = headerValidity(validity, ignored, now);
        CacheEntry.StaleWindows stale = staleWindows(validity, ignored, now);
        if (valid == UNSET || !HEADER_CACHEABLE.contains(code)) {
            valid = conf.validFor(code);
        }
        if (valid <= 0) {
            return null;
        }
        String cl = h.get(HttpHeaderNames.CONTENT_LENGTH);
        if (cl != null && !headOnly) {
            long n = parseSeconds(cl);
            if (n < 0 || n > CacheRequest.MAX_STORED_BODY) {
                return null;
            }
        }
        List<String[]> stored = new ArrayList<>();
        for (Map.Entry<String, String> kv : h) {
            String name = kv.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_STORED.contains(name) || headOnly && name.equals("content-length")) {
                stored.add(new String[] {kv.getKey(), kv.getValue()});
            }
        }
        return new CacheEntry(key, resp.status(), List.copyOf(stored), null, 0, now + valid, 0, headOnly, stale);
    }

    /**
     * Whether the upstream's headers refuse caching, as nginx decides while it reads them (its {@code u->cacheable}
     * cleared before the response head goes out): {@code Set-Cookie}, {@code Vary: *}, a validity header saying
     * "do not cache", a {@code stale-*} window that is not a number. A response they do not refuse is cacheable for
     * nginx's not-modified filter even when {@code proxy_cache_valid} or {@code proxy_no_cache} later keep it out.
     */
    static boolean refused(HttpHeaders validity, Set<String> ignored, long now) {
        if (!ignored.contains("set-cookie") && validity.contains(HttpHeaderNames.SET_COOKIE)) {
            return true;
        }
        if (!ignored.contains("vary")) {
            for (String v : validity.getAll(HttpHeaderNames.VARY)) {
                if (v.contains("*")) {
                    return true;
                }
            }
        }
        return headerValidity(validity, ignored, now) == 0 || staleWindows(validity, ignored, now) == null;
    }

    /** The {@code stale-*} windows of {@code Cache-Control}, which {@code X-Accel-Expires} overrides. */
    private static CacheEntry.StaleWindows staleWindows(HttpHeaders validity, Set<String> ignored, long now) {
        if (ignored.contains("cache-control")
                || !ignored.contains("x-accel-expires") && accelExpires(validity.get(X_ACCEL_EXPIRES), now) != UNSET) {
            return CacheEntry.StaleWindows.NONE;
        }
        return staleWindows(validity.getAll(HttpHeaderNames.CACHE_CONTROL));
    }

    /**
     * The new validity of an expired entry the upstream answered {@code 304} to ({@code proxy_cache_revalidate}),
     * as nginx: the 304's own validity headers, else the stored response's (counted from now), else
     * {@code proxy_cache_valid} for the stored status; 0 when none gives a time (the entry stays as it was).
     */
    static long revalidated(CacheConf conf, CacheEntry e, HttpHeaders notModified, Set<String> ignored, long now) {
        long valid = headerValidity(notModified, ignored, now);
        if (valid <= 0) {
            HttpHeaders stored = new DefaultHttpHeaders();
            for (String[] kv : e.headers()) {
                stored.add(kv[0], kv[1]);
            }
            valid = headerValidity(stored, ignored, now);
        }
        if (valid <= 0) {
            valid = conf.validFor(e.status().code());
        }
        return valid;
    }

    /**
     * Milliseconds of validity the upstream's headers give, first found of {@code X-Accel-Expires},
     * {@code Cache-Control}, {@code Expires} (but those {@code ignored} names); 0 for "do not cache", or
     * {@link #UNSET}.
     */
    private static long headerValidity(HttpHeaders validity, Set<String> ignored, long now) {
        long valid = ignored.contains("x-accel-expires") ? UNSET : accelExpires(validity.get(X_ACCEL_EXPIRES), now);
        if (valid == UNSET && !ignored.contains("cache-control")) {
            valid = cacheControl(validity.getAll(HttpHeaderNames.CACHE_CONTROL));
        }
        if (valid == UNSET && !ignored.contains("expires")) {
            valid = expires(validity.get(HttpHeaderNames.EXPIRES), now);
        }
        return valid;
    }

    /** No validity header: {@code proxy_cache_valid} decides. */
    private static final long UNSET = -1;

    /** Milliseconds from {@code X-Accel-Expires}, 0 for "do not cache", or {@link #UNSET} (absent or invalid). */
    private static long accelExpires(String v, long now) {
        if (v == null) {
            return UNSET;
        }
        if (v.startsWith("@")) {
            long at = parseSeconds(v.substring(1));
            return at < 0 ? UNSET : Math.max(0, at * 1000 - now);
        }
        long s = parseSeconds(v);
        return s < 0 ? UNSET : s * 1000;
    }

    /** Milliseconds from {@code Cache-Control}, 0 for "do not cache", or {@link #UNSET}. */
    private static long cacheControl(List<String> values) {
        long valid = UNSET;
        for (String cc : values) {
            for (String part : cc.split(",")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                if (p.equals("no-store") || p.equals("no-cache") || p.equals("private")
                        || p.startsWith("no-cache=") || p.startsWith("private=")) {
                    return 0;
                }
                if (p.startsWith("max-age=") || p.startsWith("s-maxage=")) {
                    long s = parseSeconds(p.substring(p.indexOf('=') + 1));
                    if (s == 0) {
                        return 0;
                    }
                    if (s > 0 && (valid == UNSET || p.startsWith("s-maxage="))) {
                        valid = s * 1000;
                    }
                }
            }
        }
        return valid;
    }

    /**
     * {@code Cache-Control}'s {@code stale-while-revalidate=N} (which also sets the error window) and
     * {@code stale-if-error=N}, as nginx 1.22 reads them; {@code null} when a value is not a number, which makes
     * the response not cacheable there.
     */
    private static CacheEntry.StaleWindows staleWindows(List<String> values) {
        long updating = 0;
        long error = -1;
        for (String cc : values) {
            for (String part : cc.split(",")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                boolean whileRevalidate = p.startsWith("stale-while-revalidate=");
                if (!whileRevalidate && !p.startsWith("stale-if-error=")) {
                    continue;
                }
                String v = p.substring(p.indexOf('=') + 1);
                int end = v.indexOf(';');
                long s = v.isEmpty() ? 0 : parseSeconds(end < 0 ? v : v.substring(0, end));
                if (s < 0) {
                    return null;
                }
                if (whileRevalidate) {
                    updating = s * 1000;
                } else {
                    error = s * 1000;
                }
            }
        }
        return updating == 0 && error <= 0 ? CacheEntry.StaleWindows.NONE
                : new CacheEntry.StaleWindows(updating, error >= 0 ? error : updating);
    }

    /** Milliseconds until the {@code Expires} date, 0 when it is past or not a date, or {@link #UNSET}. */
    private static long expires(String v, long now) {
        if (v == null) {
            return UNSET;
        }
        try {
            long at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Math.max(0, at - now);
        } catch (DateTimeParseException e) {
            return 0; // "Expires: 0" and the like mean "already expired"
        }
    }

    /**
     * {@code proxy_cache_max_range_offset}: whether a request with {@code range} (or {@code null}) is passed upstream
     * as it is and its response not stored, as nginx's {@code ngx_http_upstream_cache_check_range}: a range of bytes
     * starting at or beyond {@code max}, or a suffix range; with {@code max} 0, any {@code Range}.
     * {@link Long#MAX_VALUE} means unset.
     */
    static boolean rangeDeclined(long max, String range) {
        if (range == null || max == Long.MAX_VALUE) {
            return false;
        }
        if (max == 0) {
            return true;
        }
        if (range.length() < 7 || !range.regionMatches(true, 0, "bytes=", 0, 6)) {
            return false;
        }
        int i = 6;
        while (i < range.length() && range.charAt(i) == ' ') {
            i++;
        }
        if (i < range.length() && range.charAt(i) == '-') {
            return true;
        }
        long offset = 0;
        for (; i < range.length() && range.charAt(i) >= '0' && range.charAt(i) <= '9'; i++) {
            offset = offset > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : offset * 10 + (range.charAt(i) - '0');
        }
        return offset >= max;
    }

    /**
     * An HTTP date as nginx writes it back ({@code Mon, 07 Dec 2026 10:00:00 GMT}), or {@code null} when
     * {@code v} is absent or not a date: nginx's {@code $upstream_cache_last_modified}.
     */
    static String httpDate(String v) {
        if (v == null) {
            return null;
        }
        try {
            return HTTP_DATE.format(ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** A non-negative decimal number, or -1. */
    private static long parseSeconds(String s) {
        String t = s.trim();
        if (t.startsWith("\"") && t.endsWith("\"") && t.length() > 1) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.isEmpty() || t.length() > 12) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
