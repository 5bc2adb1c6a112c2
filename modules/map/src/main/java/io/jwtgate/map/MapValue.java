package io.jwtgate.map;

import io.jwtgate.core.http.route.NginxRegex;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.Variables;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of one map entry, compiled once: literal text, variables, and regex captures. Inside a regex entry
 * {@code $1}..{@code $9} and {@code $name} (a named group of that regex) take the text the regex just matched, as
 * in nginx, where the match sets the captures right before the value is evaluated; elsewhere {@code $n} is the
 * location's capture. A value without {@code $} is a constant and evaluates without allocation. Immutable.
 */
final class MapValue {

    private static final int CAPTURE_BASE = -1;

    private final String constant;
    private final String[] literals; // literals.length == refs.length + 1
    private final int[] refs; // >= 0: variable index; < 0: capture group -(ref + 1)

    private MapValue(String constant, String[] literals, int[] refs) {
        this.constant = constant;
        this.literals = literals;
        this.refs = refs;
    }

    static MapValue constant(String value) {
        return new MapValue(value, null, null);
    }

    /**
     * Compiles {@code text} for an entry whose key is {@code regex} ({@code null} for exact keys and the default),
     * with nginx's errors for a malformed variable reference.
     */
    static MapValue compile(String text, NginxRegex regex, Variables variables, ConfDirective where)
            throws ConfException {
        if (text.indexOf('$') < 0) {
            return constant(text);
        }
        List<String> literals = new ArrayList<>();
        List<Integer> refs = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i++);
            if (c != '$') {
                lit.append(c);
                continue;
            }
            int ref;
            if (i < n && text.charAt(i) >= '1' && text.charAt(i) <= '9') {
                ref = CAPTURE_BASE - (text.charAt(i++) - '0');
            } else {
                boolean braced = i < n && text.charAt(i) == '{';
                if (braced) {
                    i++;
                }
                int start = i;
                while (i < n && isNameChar(text.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    throw where.error("invalid variable name");
                }
                String name = text.substring(start, i);
                if (braced) {
                    if (i >= n || text.charAt(i) != '}') {
                        throw where.error("the closing bracket in \"%s\" variable is missing", name);
                    }
                    i++;
                }
                int group = regex == null ? -1 : regex.groupNumber(name);
                ref = group >= 0 ? CAPTURE_BASE - group : variables.index(name, where);
            }
            literals.add(lit.toString());
            lit.setLength(0);
            refs.add(ref);
        }
        literals.add(lit.toString());
        return new MapValue(null, literals.toArray(new String[0]),
                refs.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /**
     * The value for a request.
     *
     * @param groups what the entry's regex captured, or {@code null} for an exact key or the default
     */
    String evaluate(HttpExchange x, RegexCaptures groups) {
        if (constant != null) {
            return constant;
        }
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < refs.length; i++) {
            sb.append(literals[i]);
            String v = value(x, refs[i], groups);
            if (v != null) {
                sb.append(v);
            }
        }
        return sb.append(literals[refs.length]).toString();
    }

    private static String value(HttpExchange x, int ref, RegexCaptures groups) {
        if (ref >= 0) {
            return x.variable(ref);
        }
        int group = CAPTURE_BASE - ref;
        if (groups == null) {
            return x.capture(group);
        }
        return groups.group(group);
    }
}
