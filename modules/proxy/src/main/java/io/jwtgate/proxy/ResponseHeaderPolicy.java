package io.jwtgate.proxy;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.Setters;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a location does with an upstream's response headers: {@code proxy_hide_header} and {@code proxy_pass_header}
 * on nginx's hidden defaults, {@code proxy_ignore_headers}, {@code proxy_redirect} on {@code Location} and
 * {@code Refresh}, {@code proxy_cookie_*} on {@code Set-Cookie} ({@link ProxyCookies}), and
 * {@code proxy_intercept_errors} (docs/proxy.md, "Response headers"). The setters, the merge of a level's settings and
 * the rewrite of a response head. Immutable once merged.
 *
 * @param hidden the lower-case names not passed to the client
 * @param ignored the lower-case names of the headers {@code proxy_ignore_headers} lists
 * @param redirect the {@code proxy_redirect} rules in force, {@code null} for none ({@code off})
 * @param interceptErrors {@code proxy_intercept_errors} (default off)
 * @param cookies {@code proxy_cookie_domain}, {@code proxy_cookie_path} and {@code proxy_cookie_flags}
 * @param redirectRules the rules of {@code redirect}, for the levels below
 * @param redirectOff {@code proxy_redirect off} in force, for the levels below
 * @param hideList the {@code proxy_hide_header} names in force, for the levels below
 * @param passList the {@code proxy_pass_header} names in force, for the levels below
 */
record ResponseHeaderPolicy(Set<String> hidden, Set<String> ignored, ProxyRedirect redirect, boolean interceptErrors,
        ProxyCookies cookies, List<ProxyRedirect.Rule> redirectRules, boolean redirectOff, List<String> hideList,
        List<String> passList) {

    /** nginx's {@code ngx_http_proxy_hide_headers}. */
    private static final List<String> HIDDEN_BY_DEFAULT = List.of("date", "server", "x-pad", "x-accel-expires",
            "x-accel-redirect", "x-accel-limit-rate", "x-accel-buffering", "x-accel-charset");
    /** The values of {@code proxy_ignore_headers}, as nginx spells them. */
    private static final List<String> IGNORABLE = List.of("X-Accel-Redirect", "X-Accel-Expires",
            "X-Accel-Limit-Rate", "X-Accel-Buffering", "X-Accel-Charset", "Expires", "Cache-Control", "Set-Cookie",
            "Vary");

    static final ResponseHeaderPolicy DEFAULT = new ResponseHeaderPolicy(Set.copyOf(HIDDEN_BY_DEFAULT), Set.of(),
            null, false, ProxyCookies.NONE, null, false, List.of(), List.of());

    ResponseHeaderPolicy {
        hidden = Set.copyOf(hidden);
        ignored = Set.copyOf(ignored);
    }

    /** A level's settings while the configuration is read; {@code null} means unset here. */
    static final class Draft {
        List<String> hide;
        List<String> pass;
        Set<String> ignore;
        /** This level's rules; {@code off} leaves it empty and sets {@link #redirectOff}. */
        List<ProxyRedirect.Rule> redirects;
        boolean redirectOff;
        /** {@code proxy_redirect default} of this level's {@code proxy_pass}, set by that directive. */
        ProxyRedirect.Rule defaultRedirect;
        /** Whether this level's {@code proxy_pass} has variables ({@code default} is then refused). */
        boolean passHasVariables;
        Boolean interceptErrors;
        final ProxyCookies.Draft<ProxyRedirect.Rule> cookieDomains = new ProxyCookies.Draft<>();
        final ProxyCookies.Draft<ProxyRedirect.Rule> cookiePaths = new ProxyCookies.Draft<>();
        final ProxyCookies.Draft<ProxyCookies.FlagRule> cookieFlags = new ProxyCookies.Draft<>();

        boolean isEmpty() {
            return hide == null && pass == null && ignore == null && redirects == null && !redirectOff
                    && defaultRedirect == null && interceptErrors == null && !cookieDomains.isSet()
                    && !cookiePaths.isSet() && !cookieFlags.isSet();
        }
    }

    static List<Directive> directives(LocSlot<ProxyConf.Draft, ?> conf) {
        Set<Context> hsl = Directive.httpServerLocation();
        return List.of(
                Directive.of("proxy_hide_header", hsl, Arity.TAKE1, (cx, d) -> {
                    Draft r = cx.loc(conf).response();
                    r.hide = append(r.hide, d.arg(0));
                }),
                Directive.of("proxy_pass_header", hsl, Arity.TAKE1, (cx, d) -> {
                    Draft r = cx.loc(conf).response();
                    r.pass = append(r.pass, d.arg(0));
                }),
                Directive.of("proxy_ignore_headers", hsl, Arity.ONE_OR_MORE,
                        (cx, d) -> ignore(cx.loc(conf).response(), cx, d)),
                Directive.of("proxy_redirect", hsl, Arity.TAKE12, (cx, d) -> redirect(cx.loc(conf).response(), cx, d)),
                Directive.of("proxy_intercept_errors", hsl, Arity.TAKE1, Setters.flag(conf,
                        c -> c.response == null ? null : c.response.interceptErrors,
                        (c, v) -> c.response().interceptErrors = v)),
                Directive.of("proxy_cookie_domain", hsl, Arity.TAKE12,
                        (cx, d) -> ProxyCookies.directive(cx.loc(conf).response().cookieDomains, true, cx, d)),
                Directive.of("proxy_cookie_path", hsl, Arity.TAKE12,
                        (cx, d) -> ProxyCookies.directive(cx.loc(conf).response().cookiePaths, false, cx, d)),
                Directive.of("proxy_cookie_flags", hsl, Arity.TAKE1234,
                        (cx, d) -> ProxyCookies.flagsDirective(cx.loc(conf).response().cookieFlags, cx, d)));
    }

    /** nginx's bitmask slot: names case-insensitive, a name given twice at one level is a warning. */
    private static void ignore(Draft r, ConfContext cx, ConfDirective d) throws ConfException {
        if (r.ignore == null) {
            r.ignore = new LinkedHashSet<>();
        }
        for (String v : d.args()) {
            String known = IGNORABLE.stream().filter(v::equalsIgnoreCase).findFirst()
                    .orElseThrow(() -> d.error("invalid value \"%s\"", v));
            if (!r.ignore.add(known.toLowerCase(Locale.ROOT))) {
                cx.warn(d, "duplicate value \"" + v + "\"");
            }
        }
    }

    /** nginx's {@code ngx_http_proxy_redirect}: {@code off}, {@code default}, or a pair; several add up. */
    private static void redirect(Draft r, ConfContext cx, ConfDirective d) throws ConfException {
        if (r.redirectOff) {
            throw d.error("\"proxy_redirect\" directive is duplicate");
        }
        if (d.args().size() == 1) {
            String v = d.arg(0);
            if (v.equals("off")) {
                if (r.redirects != null) {
                    throw d.error("\"proxy_redirect\" directive is duplicate");
                }
                r.redirectOff = true;
                return;
            }
            if (!v.equals("default")) {
                throw d.error("invalid parameter \"%s\"", v);
            }
            if (r.passHasVariables) {
                throw d.error("\"proxy_redirect default\" cannot be used with \"proxy_pass\" directive with variables");
            }
            if (r.defaultRedirect == null) {
                throw d.error("\"proxy_redirect default\" should be placed after the \"proxy_pass\" directive");
            }
            r.redirects = append(r.redirects, r.defaultRedirect);
            return;
        }
        r.redirects = append(r.redirects, ProxyRedirect.parse(cx, d));
    }

    private static <T> List<T> append(List<T> list, T value) {
        List<T> l = list == null ? new ArrayList<>() : list;
        l.add(value);
        return l;
    }

    /**
     * The settings of a level from its parent's and its own, as nginx's merge: a level's own hide (or pass) list
     * replaces the inherited one; the ignored headers of the nearest level that names any; the rules of the nearest
     * level that has some, else {@code proxy_redirect default} for a level with a constant {@code proxy_pass};
     * {@code off} stops the rules of the levels above.
     */
    static ResponseHeaderPolicy merge(ResponseHeaderPolicy p, Draft d) {
        if (d == null || d.isEmpty()) {
            return p;
        }
        List<String> hide = d.hide != null ? List.copyOf(d.hide) : p.hideList;
        List<String> pass = d.pass != null ? List.copyOf(d.pass) : p.passList;
        Set<String> hidden = new LinkedHashSet<>(HIDDEN_BY_DEFAULT);
        hide.forEach(h -> hidden.add(h.toLowerCase(Locale.ROOT)));
        pass.forEach(h -> hidden.remove(h.toLowerCase(Locale.ROOT)));
        boolean off = d.redirectOff || (d.redirects == null && p.redirectOff);
        List<ProxyRedirect.Rule> rules = null;
        if (!off) {
            rules = d.redirects != null ? List.copyOf(d.redirects) : p.redirectRules;
            if (rules == null && d.defaultRedirect != null) {
                rules = List.of(d.defaultRedirect);
            }
        }
        return new ResponseHeaderPolicy(hidden, d.ignore != null ? d.ignore : p.ignored,
                rules == null ? null : new ProxyRedirect(rules),
                d.interceptErrors != null ? d.interceptErrors : p.interceptErrors,
                ProxyCookies.merge(p.cookies, d.cookieDomains, d.cookiePaths, d.cookieFlags), rules, off, hide, pass);
    }

    /** Whether {@code proxy_ignore_headers} names {@code name} (lower case). */
    boolean ignores(String name) {
        return ignored.contains(name);
    }

    /**
     * Rewrites a response head for the client, nginx's {@code ngx_http_upstream_process_headers}: hidden headers and
     * the hop-by-hop ones go, {@code Location} and {@code Refresh} go through {@code proxy_redirect}, everything
     * else stays in its place. A rewritten {@code Location} that is a path is made absolute, as nginx's header
     * filter does with a location it set; an unmatched one is passed as it came.
     */
    void apply(HttpExchange x, HttpHeaders h) {
        List<Map.Entry<CharSequence, CharSequence>> all = new ArrayList<>(h.size());
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            all.add(Map.entry(e.getKey(), e.getValue())); // the map's own entries go with clear()
        }
        h.clear();
        for (Map.Entry<CharSequence, CharSequence> e : all) {
            CharSequence name = e.getKey();
            String lower = name.toString().toLowerCase(Locale.ROOT);
            if (lower.equals("connection") || lower.equals("keep-alive") || lower.equals("transfer-encoding")
                    || hidden.contains(lower) && !lower.equals("content-length")) {
                continue; // the length frames the body whatever is hidden, as nginx's content_length_n
            }
            CharSequence value = e.getValue();
            if (lower.equals("last-modified")) {
                // nginx writes an upstream's Last-Modified where it came, among the others, not in its own place
                h.add(new Response.ListedName(name.toString()), value);
                continue;
            }
            if (redirect != null && lower.equals("location")) {
                String v = redirect.rewrite(x, WireText.decode(value.toString()), 0);
                if (v != null) {
                    v = WireText.encode(v);
                    if (v.startsWith("/")) {
                        // left relative by absolute_redirect off, it stays where the upstream had it
                        String url = x.absoluteUrl(v);
                        h.add(url.startsWith("/") ? name : Response.ABSOLUTIZED_LOCATION, url);
                    } else {
                        h.add(name, v);
                    }
                    continue;
                }
            } else if (!cookies.isEmpty() && lower.equals("set-cookie")) {
                String v = cookies.rewrite(x, WireText.decode(value.toString()));
                if (v != null) {
                    h.add(name, WireText.encode(v));
                    continue;
                }
            } else if (redirect != null && lower.equals("refresh")) {
                String s = WireText.decode(value.toString());
                int url = s.toLowerCase(Locale.ROOT).indexOf("url=");
                String v = url < 0 ? null : redirect.rewrite(x, s, url + 4);
                if (v != null) {
                    h.add(name, WireText.encode(v));
                    continue;
                }
            }
            h.add(name, value);
        }
    }
}
