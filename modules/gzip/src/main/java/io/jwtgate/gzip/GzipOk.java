package io.jwtgate.gzip;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.ResponseHeaders;
import io.jwtgate.core.http.route.NginxRegex;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * nginx's {@code ngx_http_gzip_ok}: whether the client takes a gzipped response, for gzip and gunzip alike. The
 * client request only ({@code gzip} never compresses a subrequest's response); {@code Accept-Encoding} naming
 * {@code gzip} with a non-zero {@code q}; neither {@code gzip_disable msie6} nor a {@code gzip_disable} expression
 * matching {@code User-Agent}; {@code gzip_http_version}; and for a request that came through a proxy ({@code Via})
 * what {@code gzip_proxied} allows given the response's {@code Expires}, {@code Cache-Control},
 * {@code Last-Modified}, {@code ETag} and the request's {@code Authorization}.
 */
final class GzipOk {

    static final int OFF = 0x0002;
    static final int EXPIRED = 0x0004;
    static final int NO_CACHE = 0x0008;
    static final int NO_STORE = 0x0010;
    static final int PRIVATE = 0x0020;
    static final int NO_LAST_MODIFIED = 0x0040;
    static final int NO_ETAG = 0x0080;
    static final int AUTH = 0x0100;
    static final int ANY = 0x0200;

    /** {@code gzip_proxied}'s words and their bits. */
    static final Map<String, Integer> PROXIED = Map.of("off", OFF, "expired", EXPIRED, "no-cache", NO_CACHE,
            "no-store", NO_STORE, "private", PRIVATE, "no_last_modified", NO_LAST_MODIFIED, "no_etag", NO_ETAG,
            "auth", AUTH, "any", ANY);

    private GzipOk() {
    }

    /** The answer for response headers {@code h}, or {@code null} when there is no response yet. */
    static boolean test(HttpExchange x, GzipConf c, ResponseHeaders h) {
        if (x.isSubrequest()) {
            return false;
        }
        String ae = x.header("Accept-Encoding");
        if (ae == null || ae.length() < 4 || !ae.startsWith("gzip,") && !acceptsGzip(ae)) {
            return false;
        }
        String ua = x.header("User-Agent");
        if (c.disableMsie6() && ua != null && isMsie6(ua)) {
            return false;
        }
        if (!c.http10() && !"HTTP/1.1".equals(x.protocol())) {
            return false;
        }
        if (x.header("Via") != null && !proxiedOk(x, c.proxied(), h)) {
            return false;
        }
        if (ua != null) {
            for (NginxRegex r : c.disable()) {
                if (r.find(ua) != null) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean proxiedOk(HttpExchange x, int p, ResponseHeaders h) {
        if ((p & OFF) != 0) {
            return false;
        }
        if (h == null || (p & ANY) != 0 || (p & AUTH) != 0 && x.header("Authorization") != null) {
            return true; // without a response yet (gzip_static), none of its headers can refuse
        }
        String expires = h.get("Expires");
        if (expires != null) {
            if ((p & EXPIRED) == 0) {
                return false;
            }
            long exp = httpTime(expires);
            String date = h.get("Date");
            long now = date != null ? httpTime(date) : System.currentTimeMillis() / 1000;
            return exp != -1 && now != -1 && exp < now;
        }
        List<String> cc = h.getAll("Cache-Control");
        if (!cc.isEmpty()) {
            return (p & NO_CACHE) != 0 && hasToken(cc, "no-cache") || (p & NO_STORE) != 0 && hasToken(cc, "no-store")
                    || (p & PRIVATE) != 0 && hasToken(cc, "private");
        }
        if ((p & NO_LAST_MODIFIED) != 0 && h.contains("Last-Modified")) {
            return false;
        }
        return (p & NO_ETAG) == 0 || !h.contains("ETag");
    }

    /**
     * nginx's {@code ngx_http_gzip_accept_encoding}: the first {@code gzip} at the start or after a comma or space,
     * then nothing, a comma, or {@code ;q=} with a non-zero quality.
     */
    static boolean acceptsGzip(String ae) {
        String lower = ae.toLowerCase(Locale.ROOT);
        int p = -1;
        int from = 0;
        while (true) {
            p = lower.indexOf("gzip", from);
            if (p < 0) {
                return false;
            }
            if (p == 0 || ae.charAt(p - 1) == ',' || ae.charAt(p - 1) == ' ') {
                break;
            }
            from = p + 4;
        }
        int i = p + 4;
        int n = ae.length();
        while (i < n) {
            char c = ae.charAt(i++);
            if (c == ',') {
                return true;
            }
            if (c == ';') {
                return quality(ae, i);
            }
            if (c != ' ') {
                return false;
            }
        }
        return true;
    }

    /** After {@code gzip;}: spaces, {@code q=} and a quality above zero (at most 1, three decimals). */
    private static boolean quality(String ae, int i) {
        int n = ae.length();
        while (i < n) {
            char c = ae.charAt(i++);
            if (c == 'q' || c == 'Q') {
                if (i + 2 > n || ae.charAt(i++) != '=') {
                    return false;
                }
                return qvalue(ae, i) > 0;
            }
            if (c != ' ') {
                return false;
            }
        }
        return true;
    }

    /**
     * nginx's {@code ngx_http_gzip_quantity}: 0-100, where the decimals after the point add up unweighted as nginx
     * adds them ({@code 0.001} and {@code 0.1} are both 1); 0 for anything malformed.
     */
    private static int qvalue(String s, int i) {
        int n = s.length();
        char c = s.charAt(i++);
        if (c != '0' && c != '1') {
            return 0;
        }
        int q = (c - '0') * 100;
        if (i == n) {
            return q;
        }
        c = s.charAt(i++);
        if (c == ',' || c == ' ') {
            return q;
        }
        if (c != '.') {
            return 0;
        }
        int digits = 0;
        while (i < n) {
            c = s.charAt(i++);
            if (c == ',' || c == ' ') {
                break;
            }
            if (c < '0' || c > '9') {
                return 0;
            }
            q += c - '0';
            digits++;
        }
        return q > 100 || digits > 3 ? 0 : q;
    }

    /** nginx's {@code msie6} test of {@code User-Agent}: MSIE 4 and 5, and 6 without {@code SV1}. */
    static boolean isMsie6(String ua) {
        int m = ua.indexOf("MSIE ");
        if (m < 0 || m + 7 >= ua.length() || ua.charAt(m + 6) != '.') {
            return false;
        }
        char v = ua.charAt(m + 5);
        return v == '4' || v == '5' || v == '6' && ua.indexOf("SV1", m + 8) < 0;
    }

    /** Whether a comma-separated list of these lines holds {@code token} alone (no {@code =value}), caselessly. */
    private static boolean hasToken(List<String> lines, String token) {
        for (String line : lines) {
            for (String item : line.split(",", -1)) {
                String t = item.strip();
                if (t.regionMatches(true, 0, token, 0, token.length())
                        && t.substring(token.length()).isBlank()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** An HTTP date in seconds, -1 when it is not one (nginx then does not compress). */
    private static long httpTime(String value) {
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
