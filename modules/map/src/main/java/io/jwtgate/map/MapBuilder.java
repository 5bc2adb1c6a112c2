package io.jwtgate.map;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.route.NginxRegex;
import io.jwtgate.core.http.route.ServerNames;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.Variables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the entries of one {@code map} block, as nginx's {@code ngx_http_map} handler does: they are not directives
 * (a key may be any word), so the {@code map} setter hands its block here instead of to the core. Each entry is
 * {@code hostnames;}, {@code volatile;}, or {@code key value;} where the key is {@code default}, {@code ~regex},
 * {@code ~*regex}, or a string ({@code \} in front escapes a special word). {@code include} was already expanded
 * by the parser. Not thread-safe; one instance per block.
 */
final class MapBuilder {

    /** The payload {@link ServerNames} returns when no hostname key matches. */
    static final ComplexValue NO_MATCH = ComplexValue.constant("");

    private final Variables variables;
    private final Map<String, ComplexValue> exact = new HashMap<>();
    private final List<MapTable.RegexEntry> regexes = new ArrayList<>();
    private final List<String> regexNames = new ArrayList<>();
    private ServerNames.Builder<ComplexValue> hostnames;
    private ComplexValue defaultValue;
    private boolean volatileValue;

    MapBuilder(Variables variables) {
        this.variables = variables;
    }

    /** Applies every entry of {@code map}'s block. */
    void read(ConfDirective map) throws ConfException {
        for (ConfDirective e : map.block()) {
            entry(e);
        }
    }

    private void entry(ConfDirective e) throws ConfException {
        if (e.isBlock()) {
            throw e.error("unexpected \"{\"");
        }
        if (e.args().isEmpty() && e.name().equals("hostnames")) {
            if (hostnames == null) {
                hostnames = ServerNames.builder("map");
                hostnames.server(NO_MATCH, List.of(), true);
            }
            return;
        }
        if (e.args().isEmpty() && e.name().equals("volatile")) {
            volatileValue = true;
            return;
        }
        if (e.args().size() != 1) {
            throw e.error("invalid number of the map parameters");
        }
        String key = e.name();
        String text = e.arg(0);
        if (key.equals("default")) {
            if (defaultValue != null) {
                throw e.error("duplicate default map parameter");
            }
            defaultValue = variables.compile(text, e);
            return;
        }
        if (key.startsWith("~")) {
            boolean caseless = key.startsWith("~*");
            String pattern = key.substring(caseless ? 2 : 1);
            NginxRegex regex;
            try {
                regex = NginxRegex.compile(pattern, caseless);
            } catch (PatternSyntaxException ex) {
                throw e.error("invalid regex \"%s\": %s", pattern, ex.getDescription());
            }
            regexes.add(new MapTable.RegexEntry(regex, variables.compile(text, e, regex::groupNumber)));
            regexNames.addAll(regex.names());
            return;
        }
        if (key.startsWith("\\")) {
            key = key.substring(1);
        }
        addKey(e, MapTable.lowerAscii(key), variables.compile(text, e));
    }

    /** {@code ngx_hash_add_key}: exact keys, or with {@code hostnames} also wildcards; conflicts are errors. */
    private void addKey(ConfDirective e, String key, ComplexValue value) throws ConfException {
        if (hostnames == null) {
            if (exact.putIfAbsent(key, value) != null) {
                throw e.error("conflicting parameter \"%s\"", key);
            }
            return;
        }
        // keys read before "hostnames" live in "exact" and take part in the conflict checks
        boolean star = key.length() > 2 && (key.startsWith("*.") || key.endsWith(".*"));
        String base = key.length() > 1 && key.startsWith(".") ? key.substring(1) : key;
        if (!star && exact.containsKey(base)) {
            throw e.error("conflicting parameter \"%s\"", key);
        }
        int conflicts = hostnames.warnings().size();
        try {
            hostnames.server(value, List.of(key), false);
        } catch (IllegalArgumentException ex) {
            throw e.error("invalid hostname or wildcard \"%s\"", key);
        }
        if (hostnames.warnings().size() > conflicts) {
            throw e.error("conflicting parameter \"%s\"", key);
        }
    }

    /** Whether the block said {@code volatile}. */
    boolean isVolatile() {
        return volatileValue;
    }

    /** The names of the named groups of every regex key, for {@code $name} outside the map. */
    List<String> regexGroupNames() {
        return regexNames;
    }

    MapTable build(ComplexValue source) {
        return new MapTable(source, exact, hostnames == null ? null : hostnames.build(), regexes,
                defaultValue == null ? ComplexValue.constant("") : defaultValue);
    }
}
