package io.jwtgate.core.server;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.var.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's variable values, as nginx's {@code r->variables}: a variable is computed on first use and kept,
 * unless it is non-cacheable ({@code $uri}, {@code $args} and the others that change with the request), and a value
 * stored by {@code set} is what later reads return.
 */
final class RequestVariables {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");
    private static final byte COMPUTING = 1;
    /** Computed and cacheable: later reads return it. */
    private static final byte CACHED = 2;
    /** Stored by {@link #set}: later reads return it, whatever the variable's flags. */
    private static final byte STORED = 3;

    private final Variable[] table;
    /** Made at the first use: many requests (a file, a plain proxy pass) read no indexed variable. */
    private String[] values;
    private byte[] states;

    RequestVariables(Variable[] table) {
        this.table = table;
    }

    private void allocate() {
        if (values == null) {
            values = new String[table.length];
            states = new byte[table.length];
        }
    }

    String get(HttpExchange x, int index) {
        allocate();
        byte st = states[index];
        if (st == CACHED || st == STORED) {
            return values[index];
        }
        Variable v = table[index];
        if (st == COMPUTING) {
            log.error("cycle while evaluating variable \"{}\"", v.name());
            return null;
        }
        states[index] = COMPUTING;
        String value;
        try {
            value = v.getter().get(x, v.data());
        } finally {
            states[index] = 0;
        }
        if (v.cacheable()) {
            values[index] = value;
            states[index] = CACHED;
        }
        return value;
    }

    /**
     * Stores each named group of {@code captures} in the variable of its name (nginx's {@code ngx_http_regex_exec}).
     */
    void storeNamedCaptures(RegexCaptures captures) {
        if (captures.names().isEmpty()) {
            return;
        }
        for (int i = 0; i < table.length; i++) {
            if (captures.names().contains(table[i].name())) {
                String value = captures.group(table[i].name());
                set(i, value == null ? "" : value);
            }
        }
    }

    void set(int index, String value) {
        allocate();
        values[index] = value;
        states[index] = STORED;
    }
}
