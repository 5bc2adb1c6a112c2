package io.jwtgate.staticfiles;

import io.jwtgate.core.codec.HttpTime;
import io.jwtgate.core.http.HttpExchange;

/**
 * nginx's not-modified filter for a file: {@code If-Unmodified-Since} and {@code If-Match} that fail give 412,
 * {@code If-Modified-Since} and {@code If-None-Match} that hold give 304. Only the client's own request is
 * checked, never a subrequest.
 */
final class Preconditions {

    static final int PASS = 0;

    private Preconditions() {
    }

    /** {@link #PASS}, 304 or 412 for a file last modified at {@code lastModified} with {@code etag} (or none). */
    static int check(HttpExchange x, StaticConf.IfModifiedSince ims, long lastModified, String etag) {
        String ifUnmodifiedSince = x.header("If-Unmodified-Since");
        if (ifUnmodifiedSince != null && HttpTime.parse(ifUnmodifiedSince) < lastModified) {
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
        if (ifModifiedSince != null && modified(ims, HttpTime.parse(ifModifiedSince), lastModified)) {
            return PASS;
        }
        if (ifNoneMatch != null && !matches(ifNoneMatch, etag, true)) {
            return PASS;
        }
        return 304;
    }

    /** {@code if_modified_since}: {@code exact} wants the very time, {@code before} any time not older. */
    private static boolean modified(StaticConf.IfModifiedSince mode, long since, long lastModified) {
        if (mode == StaticConf.IfModifiedSince.OFF) {
            return true;
        }
        if (since == lastModified) {
            return false;
        }
        return mode == StaticConf.IfModifiedSince.EXACT || since < lastModified;
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
