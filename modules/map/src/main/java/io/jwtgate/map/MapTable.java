package io.jwtgate.map;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.route.NginxRegex;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.http.route.ServerNames;
import io.jwtgate.core.var.ComplexValue;
import java.util.List;
import java.util.Map;

/**
 * One compiled {@code map} block and its lookup, {@code ngx_http_map_variable} with {@code ngx_http_map_find}: the
 * source value, lower-cased, is looked up among the exact keys; with {@code hostnames} then among the wildcard keys
 * (longest {@code *.example.com}/{@code .example.com}, then longest {@code www.example.*}); then the regexes are
 * tried in order on the source as it is; then the default. Immutable.
 */
final class MapTable {

    /** A {@code ~regex value} entry. */
    record RegexEntry(NginxRegex regex, ComplexValue value) {
    }

    private final ComplexValue source;
    private final Map<String, ComplexValue> exact;
    private final ServerNames<ComplexValue> hostnames; // null without the hostnames parameter
    private final List<RegexEntry> regexes;
    private final ComplexValue defaultValue;

    MapTable(ComplexValue source, Map<String, ComplexValue> exact, ServerNames<ComplexValue> hostnames,
            List<RegexEntry> regexes, ComplexValue defaultValue) {
        this.source = source;
        this.exact = Map.copyOf(exact);
        this.hostnames = hostnames;
        this.regexes = List.copyOf(regexes);
        this.defaultValue = defaultValue;
    }

    /** The map's value for a request; never {@code null} (no default means the empty string, as in nginx). */
    String lookup(HttpExchange x, MapModule module) {
        String value = source.evaluate(x);
        if (hostnames != null && !value.isEmpty() && value.charAt(value.length() - 1) == '.') {
            value = value.substring(0, value.length() - 1);
        }
        String low = lowerAscii(value);
        ComplexValue found = exact.get(low);
        if (found != null) {
            return found.evaluate(x);
        }
        if (hostnames != null) {
            found = hostnames.select(low).server();
            if (found != MapBuilder.NO_MATCH) {
                return found.evaluate(x);
            }
        }
        // as ngx_http_map_find, regexes are not tried on an empty value
        if (!value.isEmpty()) {
            for (RegexEntry entry : regexes) {
                RegexCaptures groups = entry.regex().find(value);
                if (groups != null) {
                    if (!entry.regex().names().isEmpty()) {
                        module.rememberMatch(x, groups);
                    }
                    return entry.value().evaluate(x, groups);
                }
            }
        }
        return defaultValue.evaluate(x);
    }

    /** nginx's {@code ngx_hash_strlow}: ASCII letters only; the same instance when nothing changes. */
    static String lowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int k = i; k < chars.length; k++) {
                    if (chars[k] >= 'A' && chars[k] <= 'Z') {
                        chars[k] += 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }
}
