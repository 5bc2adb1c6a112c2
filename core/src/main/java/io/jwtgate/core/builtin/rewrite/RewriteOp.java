package io.jwtgate.core.builtin.rewrite;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.var.ComplexValue;
import java.util.function.UnaryOperator;

/**
 * {@code rewrite regex replacement [flag]}, compiled: when {@code regex} matches {@code $uri}, the URI (and, after a
 * {@code ?} in the replacement, the arguments) become the replacement, or the request is redirected to it.
 *
 * @param target the replacement up to its first {@code ?}; for a redirect, all of it
 * @param args the replacement after its first {@code ?}, or {@code null} when it has none or is a redirect
 * @param questionMark a redirect's replacement has a {@code ?}: the request's arguments follow with {@code &}
 * @param addArgs the request's arguments are kept (the replacement does not end with {@code ?})
 * @param redirect 301 or 302 for a redirect, else 0
 * @param stop the script ends after a match ({@code last}, {@code break}, a redirect)
 * @param stay {@code break}: the new URI is processed in this location, not looked up again
 */
record RewriteOp(ScriptRegex regex, ComplexValue target, ComplexValue args, boolean questionMark, boolean addArgs,
        int redirect, boolean stop, boolean stay) implements Op {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** nginx's {@code NGX_ESCAPE_ARGS} set: bit {@code c} of word {@code c / 32}. */
    private static final int[] ESCAPE_ARGS = {
        0xffffffff, 0xd800086d, 0x50000000, 0xb8000001, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
    };

    @Override
    public int run(HttpExchange x, boolean log) {
        if (regex.exec(x, x.uri(), log) == null) {
            return NEXT;
        }
        // as nginx, captures copied into arguments or a redirect are escaped when the client's URI was (%XX or +)
        UnaryOperator<String> quote = quotedUri(x.requestUri()) ? RewriteOp::escapeArgs : UnaryOperator.identity();
        String requestArgs = x.args();
        boolean hasArgs = requestArgs != null && !requestArgs.isEmpty();
        if (redirect != 0) {
            String location = unescapeRedirect(target.evaluateQuotingCaptures(x, quote));
            if (addArgs && hasArgs) {
                location = location + (questionMark ? '&' : '?') + WireText.decode(requestArgs);
            }
            if (log) {
                RewriteLog.notice(x, "rewritten redirect: \"" + location + "\"");
            }
            x.prepareResponse(redirect, StatusPages.page(redirect).withRedirect(x, location));
            return redirect;
        }
        String uri = target.evaluate(x);
        String newArgs;
        if (args != null) {
            newArgs = WireText.encode(args.evaluateQuotingCaptures(x, quote));
            if (addArgs && hasArgs) {
                newArgs = newArgs + '&' + requestArgs;
            }
        } else {
            newArgs = addArgs ? requestArgs : null;
        }
        if (newArgs != null && newArgs.isEmpty()) {
            newArgs = null;
        }
        if (log) {
            RewriteLog.notice(x, "rewritten data: \"" + uri + "\", args: \""
                    + (newArgs == null ? "" : WireText.decode(newArgs)) + "\"");
        }
        if (uri.isEmpty()) {
            RewriteLog.error(x, "the rewritten URI has a zero length");
            return 500;
        }
        x.setUri(uri, newArgs, !stay);
        x.markInternal();
        if (stay) {
            x.cancelReroute(); // nginx's break_cycle also forgets a change by an earlier rewrite of the script
        }
        return stop ? PhaseHandler.DECLINED : NEXT;
    }

    /**
     * Whether the path the client sent had an escape or a {@code +} (nginx's {@code quoted_uri}, {@code plus_in_uri}).
     */
    static boolean quotedUri(String requestUri) {
        for (int i = 0; i < requestUri.length(); i++) {
            char c = requestUri.charAt(i);
            if (c == '?' || c == '#') {
                return false;
            }
            if (c == '%' || c == '+') {
                return true;
            }
        }
        return false;
    }

    /** {@code text} as nginx's {@code ngx_escape_uri(..., NGX_ESCAPE_ARGS)} writes its UTF-8 bytes. */
    static String escapeArgs(String text) {
        String bytes = WireText.encode(text);
        StringBuilder sb = null;
        for (int i = 0; i < bytes.length(); i++) {
            char c = bytes.charAt(i);
            boolean escape = c > 0xff || (ESCAPE_ARGS[c >>> 5] & (1 << (c & 31))) != 0;
            if (escape && sb == null) {
                sb = new StringBuilder(bytes.length() + 16).append(bytes, 0, i);
            }
            if (sb != null) {
                if (escape) {
                    sb.append('%').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? bytes : sb.toString();
    }

    /**
     * nginx's {@code ngx_unescape_uri(..., NGX_UNESCAPE_REDIRECT)} of a redirect before its arguments: an escape of
     * a printable character after {@code %} is decoded, any other escape kept; an invalid escape loses its
     * {@code %} (bad first digit) or all of it (bad second digit); everything from the first {@code ?} (or escaped
     * {@code ?}) on is copied as it is.
     */
    static String unescapeRedirect(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder d = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char ch = s.charAt(i);
            if (ch == '?') {
                break;
            }
            if (ch != '%') {
                d.append(ch);
                i++;
                continue;
            }
            int hi = i + 1 < n ? Character.digit(s.charAt(i + 1), 16) : -1;
            if (i + 1 >= n) {
                i++; // a trailing "%" is dropped
                continue;
            }
            if (hi < 0) {
                d.append(s.charAt(i + 1)); // an invalid escape: the "%" is dropped
                i += 2;
                continue;
            }
            if (i + 2 >= n) {
                i = n; // "%X" at the end: both dropped
                continue;
            }
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (lo < 0) {
                i += 3; // an invalid second digit: all three are dropped
                continue;
            }
            char decoded = (char) (hi << 4 | lo);
            if (decoded == '?') {
                d.append('?');
                i += 3;
                return d.append(s, i, n).toString();
            }
            if (decoded > '%' && decoded < 0x7f) {
                d.append(decoded);
            } else {
                d.append(s, i, i + 3);
            }
            i += 3;
        }
        return d.append(s, i, n).toString();
    }
}
