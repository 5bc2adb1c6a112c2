package io.jwtgate.proxy;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.route.NginxRegex;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.var.ComplexValue;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code proxy_redirect} rules in force in a location, nginx's {@code ngx_http_proxy_rewrite_redirect}: the
 * first rule that matches an upstream's {@code Location} (or the URL of its {@code Refresh}) replaces the matched
 * part (docs/proxy.md, {@code proxy_redirect}). Immutable.
 */
final class ProxyRedirect {

    /** One rule: the rewritten value, or {@code null} when it does not match. */
    interface Rule {
        String rewrite(HttpExchange x, String value, int from);
    }

    /** A text the value must continue with at {@code from} (case matters), replaced by {@code replacement}. */
    record Prefix(ComplexValue pattern, ComplexValue replacement) implements Rule {
        @Override
        public String rewrite(HttpExchange x, String value, int from) {
            String p = pattern.evaluate(x);
            if (!value.startsWith(p, from)) {
                return null;
            }
            return value.substring(0, from) + replacement.evaluate(x) + value.substring(from + p.length());
        }
    }

    /**
     * A regular expression searched in the value from {@code from} on ({@code ~}, {@code ~*} caseless): the whole
     * rest is replaced by {@code replacement}, which may use the captures.
     */
    record Regex(NginxRegex regex, ComplexValue replacement) implements Rule {
        @Override
        public String rewrite(HttpExchange x, String value, int from) {
            RegexCaptures captures = regex.find(value.substring(from));
            if (captures == null) {
                return null;
            }
            return value.substring(0, from) + replacement.evaluate(x, captures);
        }
    }

    private final List<Rule> rules;

    ProxyRedirect(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** {@code value} rewritten by the first rule that matches from {@code from} on, or {@code null} if none does. */
    String rewrite(HttpExchange x, String value, int from) {
        for (Rule r : rules) {
            String v = r.rewrite(x, value, from);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * {@code proxy_redirect default} for a constant {@code proxy_pass url} in the location {@code location}: the URL
     * becomes the location's name when the URL has a URI part, else the URL followed by {@code /} becomes {@code /}.
     */
    static Rule defaultRule(String url, ProxyUrl parsed, String location) {
        if (parsed.uri().isEmpty()) {
            return new Prefix(ComplexValue.constant(url + "/"), ComplexValue.constant("/"));
        }
        return new Prefix(ComplexValue.constant(url), ComplexValue.constant(location));
    }

    /** The rule of {@code proxy_redirect redirect replacement} (and {@code proxy_cookie_path}'s). */
    static Rule parse(ConfContext cx, ConfDirective d) throws ConfException {
        String redirect = d.arg(0);
        ComplexValue replacement = cx.compile(d, d.arg(1));
        if (!redirect.startsWith("~")) {
            return new Prefix(cx.compile(d, redirect), replacement);
        }
        boolean caseless = redirect.startsWith("~*");
        return regex(d, redirect.substring(caseless ? 2 : 1), caseless, replacement);
    }

    /** A regular expression rule, with nginx's words for an invalid expression. */
    static Rule regex(ConfDirective d, String pattern, boolean caseless, ComplexValue replacement)
            throws ConfException {
        try {
            return new Regex(NginxRegex.compile(pattern, caseless), replacement);
        } catch (PatternSyntaxException e) {
            throw d.error("pcre2_compile() failed: %s in \"%s\"", e.getDescription(), pattern);
        }
    }
}
