package io.jwtgate.proxy;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.http.HttpExchange;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An upstream's {@code X-Accel-Redirect} (docs/proxy.md, "X-Accel-Redirect"), nginx's part of
 * {@code ngx_http_upstream_process_headers}: the request continues at the URI (an internal redirect, as {@code GET})
 * or {@code @name} the header gives, with some of the upstream's headers kept for the final answer.
 *
 * @param uri the path, or {@code @name} for a named location
 * @param args the arguments after {@code ?}, or {@code null}
 */
record AccelRedirect(String uri, String args) {

    /** The headers nginx copies to the answer before it redirects (its {@code redirect} flag), lower case. */
    private static final Set<String> KEPT = Set.of("content-type", "set-cookie", "content-disposition",
            "cache-control", "expires", "accept-ranges");

    /**
     * The target of a header value, nginx's {@code ngx_http_parse_unsafe_uri}: arguments split off at the first
     * {@code ?}, {@code %XX} unescaped in the path; {@code null} for an unsafe one (empty, {@code ..} segments, a NUL
     * byte), which nginx answers with 404.
     */
    static AccelRedirect of(String value) {
        if (value.startsWith("@")) {
            return new AccelRedirect(WireText.decode(value), null);
        }
        int q = value.indexOf('?');
        String path = q < 0 ? value : value.substring(0, q);
        String args = q < 0 ? null : value.substring(q + 1);
        if (value.isEmpty() || q == 0 || unsafe(path)) {
            return null;
        }
        if (path.indexOf('%') >= 0) {
            path = unescape(path);
            if (unsafe(path)) {
                return null;
            }
        }
        return new AccelRedirect(WireText.decode(path), args); // $uri is text, the header's bytes read as UTF-8
    }

    /** Whether the target is a named location. */
    boolean named() {
        return uri.startsWith("@");
    }

    private static boolean unsafe(String path) {
        if (path.indexOf('\0') >= 0 || path.equals("..") || path.startsWith("../")) {
            return true;
        }
        int i = path.indexOf("/..");
        while (i >= 0) {
            int end = i + 3;
            if (end == path.length() || path.charAt(end) == '/') {
                return true;
            }
            i = path.indexOf("/..", i + 1);
        }
        return false;
    }

    /** {@code %XX} to its byte (header text is one char per byte); a {@code %} not followed by two hex digits stays. */
    private static String unescape(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && hex(path.charAt(i + 1)) >= 0 && hex(path.charAt(i + 2)) >= 0) {
                out.write(hex(path.charAt(i + 1)) << 4 | hex(path.charAt(i + 2)));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /**
     * The upstream's headers that stay on the answer the redirect ends with ({@code Content-Type}, {@code Set-Cookie},
     * {@code Content-Disposition}, {@code Cache-Control}, {@code Expires}, {@code Accept-Ranges}), whether hidden or
     * not, as name and text value; a {@code Set-Cookie} goes through {@code proxy_cookie_*} as nginx's copy does.
     */
    static List<String[]> keptHeaders(HttpExchange x, HttpHeaders upstream, ProxyCookies cookies) {
        List<String[]> kept = new ArrayList<>();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = upstream.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            String name = e.getKey().toString().toLowerCase(Locale.ROOT);
            if (KEPT.contains(name)) {
                String value = WireText.decode(e.getValue().toString());
                String rewritten = name.equals("set-cookie") && !cookies.isEmpty() ? cookies.rewrite(x, value) : null;
                kept.add(new String[] {e.getKey().toString(), rewritten != null ? rewritten : value});
            }
        }
        return kept;
    }
}
