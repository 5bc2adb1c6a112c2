package io.jwtgate.proxy;

import io.jwtgate.core.http.HttpExchange;
import java.nio.charset.StandardCharsets;

/**
 * The request target sent upstream, by nginx's rules ({@code ngx_http_proxy_create_request}). Strings here are
 * "byte strings": one char per byte, as Netty hands the request line over, so they are written with ISO-8859-1.
 *
 * <ul>
 *   <li>{@code proxy_pass} without a URI part: the request target as the client sent it ({@code $request_uri});
 *       once the URI changed (a rewrite, an internal redirect, a subrequest), {@code $uri}, escaped if the client's
 *       URI had escapes or the request is internal, and {@code ?args}.
 *   <li>With a URI part: the part of the normalised URI that matched the location prefix is replaced by the URI
 *       part; the rest is escaped again if the client's URI had escapes; {@code ?args} follows.
 *   <li>With variables and a URI part: the evaluated URI as is.
 * </ul>
 */
final class ProxyUri {

    private ProxyUri() {
    }

    /** The target for a {@code proxy_pass} without a URI part. */
    static String withoutUriPart(HttpExchange x) {
        if (x.isUriAsSent()) {
            return unparsed(x);
        }
        String args = x.args();
        StringBuilder sb = new StringBuilder(x.uri().length() + (args == null ? 0 : args.length() + 1));
        appendBytes(sb, x.uri(), x.isInternal() || quoted(x.requestUri()));
        if (args != null && !args.isEmpty()) {
            sb.append('?').append(args);
        }
        return sb.toString();
    }

    /** {@code $request_uri} in origin form: an absolute-form target loses its {@code scheme://host}. */
    private static String unparsed(HttpExchange x) {
        String target = x.requestUri();
        if (target.startsWith("/")) {
            return target;
        }
        int schemeEnd = target.indexOf("://");
        int pathStart = schemeEnd < 0 ? -1 : target.indexOf('/', schemeEnd + 3);
        if (pathStart < 0) {
            int q = target.indexOf('?', schemeEnd < 0 ? 0 : schemeEnd + 3);
            return q < 0 ? "/" : "/" + target.substring(q);
        }
        return target.substring(pathStart);
    }

    /** The URI part replacing the location prefix {@code prefixLength} of the normalised URI. */
    static String replaced(HttpExchange x, String uriPart, int prefixLength) {
        String uri = x.uri();
        String rest = uri.substring(Math.min(prefixLength, uri.length()));
        String args = x.args();
        StringBuilder sb = new StringBuilder(uriPart.length() + rest.length() + (args == null ? 0 : args.length() + 1));
        sb.append(uriPart);
        appendBytes(sb, rest, x.isInternal() || quoted(x.requestUri()));
        if (args != null && !args.isEmpty()) {
            sb.append('?').append(args);
        }
        return sb.toString();
    }

    /** nginx's {@code r->quoted_uri}: the client's path contained a {@code %} escape. */
    static boolean quoted(String requestUri) {
        for (int i = 0; i < requestUri.length(); i++) {
            char c = requestUri.charAt(i);
            if (c == '?') {
                return false;
            }
            if (c == '%') {
                return true;
            }
        }
        return false;
    }

    /**
     * Appends the UTF-8 bytes of {@code s}, one char per byte, escaped with nginx's {@code NGX_ESCAPE_URI} if asked.
     */
    static void appendBytes(StringBuilder sb, String s, boolean escape) {
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii && !escape) {
            sb.append(s);
            return;
        }
        byte[] bytes = ascii ? null : s.getBytes(StandardCharsets.UTF_8);
        int n = ascii ? s.length() : bytes.length;
        for (int i = 0; i < n; i++) {
            int b = ascii ? s.charAt(i) : bytes[i] & 0xff;
            if (escape && escapes(b)) {
                sb.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            } else {
                sb.append((char) b);
            }
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** nginx's {@code NGX_ESCAPE_URI} table: controls, space, {@code #}, {@code %}, {@code ?}, DEL and non-ASCII. */
    static boolean escapes(int b) {
        return b <= 0x20 || b == '#' || b == '%' || b == '?' || b >= 0x7f;
    }
}
