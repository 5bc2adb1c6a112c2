package io.jwtgate.core.http;

import io.jwtgate.core.codec.HttpTime;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * nginx's not-modified filter, for the modules whose 200 it applies to (a file, a cacheable proxied response):
 * {@code If-Unmodified-Since} and {@code If-Match} that fail give 412, {@code If-Modified-Since} (compared as
 * {@code if_modified_since} says) and {@code If-None-Match} that hold give 304. Only the client's own request is
 * checked, never a subrequest (docs/static.md#conditions).
 */
public final class NotModified {

    /** {@code if_modified_since}: how a date in {@code If-Modified-Since} is compared with the response's. */
    public enum IfModifiedSince { OFF, EXACT, BEFORE }

    /** The 200 goes out as it is. */
    public static final int PASS = 0;

    private NotModified() {
    }

    /**
     * {@link #PASS}, 304 or 412 for a 200 last modified at {@code lastModified} (seconds; -1 for none) with
     * {@code etag} (or {@code null}), under the location's {@code if_modified_since}.
     */
    public static int check(HttpExchange x, long lastModified, String etag) {
        if (x.isSubrequest()) {
            return PASS;
        }
        String ifUnmodifiedSince = x.header("If-Unmodified-Since");
        if (ifUnmodifiedSince != null && (lastModified == -1 || HttpTime.parse(ifUnmodifiedSince) < lastModified)) {
            return 412;
        }
        String ifMatch = x.header("If-Match");
        if (ifMatch != null && !matches(ifMatch, etag, false)) {
            return 412;
        }
        String ifModifiedSince = x.header("If-Modified-Since");
        String ifNoneMatch = x.header("If-None-Match");
        if (ifModifiedSince == null && ifNoneMatch == null) {
            return PASS;
        }
        if (ifModifiedSince != null
                && modified(x.location().core().ifModifiedSince(), ifModifiedSince, lastModified)) {
            return PASS;
        }
        if (ifNoneMatch != null && !matches(ifNoneMatch, etag, true)) {
            return PASS;
        }
        return 304;
    }

    /**
     * {@link #check} for a response head: a 200's {@code Last-Modified} (-1 when absent or not a date) and
     * {@code ETag}; a 304 turns {@code head} into the answer, as nginx's filter does: its type, length,
     * {@code Accept-Ranges} and {@code Content-Encoding} go, the other headers stay. Returns {@link #PASS}, 304 or
     * 412.
     */
    public static int apply(HttpExchange x, HttpResponse head) {
        if (head.status().code() != 200) {
            return PASS;
        }
        HttpHeaders h = head.headers();
        int outcome = check(x, lastModified(h), h.get(HttpHeaderNames.ETAG));
        if (outcome == 304) {
            head.setStatus(StatusPages.status(304));
            h.remove(HttpHeaderNames.CONTENT_TYPE);
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
            h.remove(HttpHeaderNames.ACCEPT_RANGES);
            h.remove(HttpHeaderNames.CONTENT_ENCODING);
        }
        return outcome;
    }

    /** The time of {@code h}'s {@code Last-Modified} (nginx's {@code last_modified_time}), -1 for none. */
    public static long lastModified(HttpHeaders h) {
        String lastModified = h.get(HttpHeaderNames.LAST_MODIFIED);
        return lastModified == null ? -1 : HttpTime.parse(lastModified);
    }

    /** {@code exact} wants the very time, {@code before} any time not older; no time is always modified. */
    private static boolean modified(IfModifiedSince mode, String value, long lastModified) {
        if (lastModified == -1 || mode == IfModifiedSince.OFF) {
            return true;
        }
        long since = HttpTime.parse(value);
        if (since == lastModified) {
            return false;
        }
        return mode == IfModifiedSince.EXACT || since < lastModified;
    }

    /**
     * Whether the entity tag list {@code list} names {@code etag}, as nginx's {@code ngx_http_test_if_match}:
     * {@code *} matches anything, entries are compared byte for byte up to a comma (spaces after the tag allowed),
     * and a {@code weak} comparison ignores {@code W/} on both sides.
     */
    static boolean matches(String list, String etag, boolean weak) {
        if (list.equals("*")) {
            return true;
        }
        if (etag == null) {
            return false;
        }
        String tag = weak && etag.length() > 2 && etag.startsWith("W/") ? etag.substring(2) : etag;
        int p = 0;
        int end = list.length();
        while (p < end) {
            if (weak && end - p > 2 && list.startsWith("W/", p)) {
                p += 2;
            }
            if (tag.length() > end - p) {
                return false;
            }
            if (list.startsWith(tag, p)) {
                int q = p + tag.length();
                while (q < end && (list.charAt(q) == ' ' || list.charAt(q) == '\t')) {
                    q++;
                }
                if (q == end || list.charAt(q) == ',') {
                    return true;
                }
                p = q;
            }
            while (p < end && list.charAt(p) != ',') {
                p++;
            }
            while (p < end && (list.charAt(p) == ' ' || list.charAt(p) == '\t' || list.charAt(p) == ',')) {
                p++;
            }
        }
        return false;
    }
}
