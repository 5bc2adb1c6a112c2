package io.jwtgate.proxy;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.route.NginxRegex;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.var.ComplexValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * {@code proxy_cookie_domain}, {@code proxy_cookie_path} and {@code proxy_cookie_flags}, nginx's
 * {@code ngx_http_proxy_rewrite_cookie}: the {@code domain} and {@code path} attributes of an upstream's
 * {@code Set-Cookie} go through the rules of the location, the first matching rule of each list replacing the value,
 * and the flags of the first flag rule that names the cookie are set or removed (docs/proxy.md, "Cookies").
 * Immutable.
 *
 * @param domains the {@code proxy_cookie_domain} rules, or {@code null} for none ({@code off})
 * @param paths the {@code proxy_cookie_path} rules, or {@code null} for none ({@code off})
 * @param flags the {@code proxy_cookie_flags} rules, or {@code null} for none ({@code off})
 */
record ProxyCookies(ProxyRedirect domains, ProxyRedirect paths, List<FlagRule> flags) {

    static final ProxyCookies NONE = new ProxyCookies(null, null, null);

    /**
     * One {@code proxy_cookie_flags cookie flag...}: the cookie's name (case ignored) or a caseless regex on it, and
     * the flags, each evaluated per response ({@code secure}, {@code nosecure}, {@code httponly},
     * {@code nohttponly}, {@code samesite=strict|lax|none}, {@code nosamesite}; other words are ignored, as nginx
     * does).
     */
    record FlagRule(ComplexValue name, NginxRegex regex, List<ComplexValue> flags) {
        boolean matches(HttpExchange x, String cookieName) {
            return regex != null ? regex.find(cookieName) != null : cookieName.equalsIgnoreCase(name.evaluate(x));
        }
    }

    /**
     * A domain equal to {@code domain} (case ignored, a leading {@code .} of either ignored and kept in the value)
     * becomes {@code replacement}.
     */
    record Domain(ComplexValue domain, ComplexValue replacement) implements ProxyRedirect.Rule {
        @Override
        public String rewrite(HttpExchange x, String value, int from) {
            int start = value.startsWith(".", from) ? from + 1 : from;
            if (!value.substring(start).equalsIgnoreCase(domain.evaluate(x))) {
                return null;
            }
            return value.substring(0, start) + replacement.evaluate(x);
        }
    }

    /** One level's list while the configuration is read: unset, {@code off}, or rules. */
    static final class Draft<R> {
        List<R> rules;
        boolean off;

        boolean isSet() {
            return off || rules != null;
        }
    }

    /**
     * {@code proxy_cookie_domain} or {@code proxy_cookie_path} ({@code domain}): {@code off}, or a pair, several
     * adding up; the errors are nginx's.
     */
    static void directive(Draft<ProxyRedirect.Rule> draft, boolean domain, ConfContext cx, ConfDirective d)
            throws ConfException {
        if (!offOrFirst(draft, d)) {
            return;
        }
        String pattern = d.arg(0);
        if (!domain) {
            draft.rules.add(ProxyRedirect.parse(cx, d));
        } else if (pattern.startsWith("~")) {
            // a domain regex is always caseless, as nginx's
            draft.rules.add(ProxyRedirect.regex(d, pattern.substring(1), true, cx.compile(d, d.arg(1))));
        } else {
            draft.rules.add(new Domain(cx.compile(d, stripDot(pattern)), cx.compile(d, stripDot(d.arg(1)))));
        }
    }

    /** {@code proxy_cookie_flags cookie flag...}: {@code off}, or a rule, several adding up. */
    static void flagsDirective(Draft<FlagRule> draft, ConfContext cx, ConfDirective d) throws ConfException {
        if (!offOrFirst(draft, d)) {
            return;
        }
        String cookie = d.arg(0);
        NginxRegex regex = null;
        if (cookie.startsWith("~")) {
            try {
                regex = NginxRegex.compile(cookie.substring(1), true);
            } catch (PatternSyntaxException e) {
                throw d.error("pcre2_compile() failed: %s in \"%s\"", e.getDescription(), cookie.substring(1));
            }
        }
        List<ComplexValue> flags = new ArrayList<>();
        for (String f : d.args().subList(1, d.args().size())) {
            flags.add(cx.compile(d, f));
        }
        draft.rules.add(new FlagRule(regex == null ? cx.compile(d, cookie) : null, regex, List.copyOf(flags)));
    }

    /**
     * The checks common to the three directives: {@code off} is recorded (false: nothing more to do), a single other
     * word is an invalid parameter, and a level's list is started (true: add the rule).
     */
    private static <R> boolean offOrFirst(Draft<R> draft, ConfDirective d) throws ConfException {
        if (draft.off) {
            throw d.error("\"%s\" directive is duplicate", d.name());
        }
        if (d.args().size() == 1) {
            if (!d.arg(0).equals("off")) {
                throw d.error("invalid parameter \"%s\"", d.arg(0));
            }
            if (draft.rules != null) {
                throw d.error("\"%s\" directive is duplicate", d.name());
            }
            draft.off = true;
            return false;
        }
        if (draft.rules == null) {
            draft.rules = new ArrayList<>();
        }
        return true;
    }

    private static String stripDot(String s) {
        return s.startsWith(".") ? s.substring(1) : s;
    }

    /** A level's lists from its parent's and its own; each list set in a level replaces the inherited one. */
    static ProxyCookies merge(ProxyCookies p, Draft<ProxyRedirect.Rule> domains, Draft<ProxyRedirect.Rule> paths,
            Draft<FlagRule> flags) {
        return new ProxyCookies(
                !domains.isSet() ? p.domains : domains.off ? null : new ProxyRedirect(domains.rules),
                !paths.isSet() ? p.paths : paths.off ? null : new ProxyRedirect(paths.rules),
                !flags.isSet() ? p.flags : flags.off ? null : List.copyOf(flags.rules));
    }

    boolean isEmpty() {
        return domains == null && paths == null && flags == null;
    }

    /**
     * The {@code Set-Cookie} value with its {@code domain} and {@code path} rewritten, written again as nginx does
     * ({@code name=value; attr=value; flag}, spaces around parts dropped), or {@code null} when no rule matched.
     */
    String rewrite(HttpExchange x, String cookie) {
        List<String[]> attrs = parse(cookie);
        if (attrs.get(0)[1] == null) {
            return null;
        }
        boolean changed = false;
        for (int i = 1; i < attrs.size(); i++) {
            String[] a = attrs.get(i);
            ProxyRedirect rules = a[0].equalsIgnoreCase("domain") ? domains
                    : a[0].equalsIgnoreCase("path") ? paths : null;
            if (rules != null && a[1] != null) {
                String v = rules.rewrite(x, a[1], 0);
                if (v != null) {
                    a[1] = v;
                    changed = true;
                }
            }
        }
        if (flags != null && CookieFlags.edit(x, flags, attrs)) {
            changed = true;
        }
        if (!changed) {
            return null;
        }
        StringBuilder sb = new StringBuilder(cookie.length() + 16);
        for (int i = 0; i < attrs.size(); i++) {
            String[] a = attrs.get(i);
            if (a[0] == null) {
                continue; // a flag taken off
            }
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(a[0]);
            if (a[1] != null) {
                sb.append('=').append(a[1]);
            }
        }
        return sb.toString();
    }

    /**
     * The value of the cookie {@code name} (case ignored) in the first of {@code setCookies} that sets it, or
     * {@code null}: nginx's {@code ngx_http_parse_set_cookie_lines}, spaces around {@code =} skipped, the value up to
     * the first {@code ;}, decoded to text.
     */
    static String setCookieValue(List<String> setCookies, String name) {
        for (String line : setCookies) {
            int n = name.length();
            if (n >= line.length() || !line.regionMatches(true, 0, name, 0, n)) {
                continue;
            }
            int start = n;
            while (start < line.length() && line.charAt(start) == ' ') {
                start++;
            }
            if (start == line.length() || line.charAt(start) != '=') {
                continue;
            }
            start++;
            while (start < line.length() && line.charAt(start) == ' ') {
                start++;
            }
            int end = line.indexOf(';', start);
            return WireText.decode(line.substring(start, end < 0 ? line.length() : end));
        }
        return null;
    }

    /** nginx's {@code ngx_http_proxy_parse_cookie}: {@code ;}-separated parts, each a name and a value or none. */
    private static List<String[]> parse(String cookie) {
        List<String[]> attrs = new ArrayList<>();
        int start = 0;
        while (true) {
            int last = cookie.indexOf(';', start);
            int end = last < 0 ? cookie.length() : last;
            String part = stripLeadingSpaces(cookie.substring(start, end));
            int eq = part.indexOf('=');
            String name = stripTrailingSpaces(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? null : stripTrailingSpaces(stripLeadingSpaces(part.substring(eq + 1)));
            attrs.add(new String[] {name, value});
            if (last < 0) {
                return attrs;
            }
            start = last + 1;
        }
    }

    private static String stripLeadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return s.substring(i);
    }

    private static String stripTrailingSpaces(String s) {
        int n = s.length();
        while (n > 0 && s.charAt(n - 1) == ' ') {
            n--;
        }
        return s.substring(0, n);
    }
}
