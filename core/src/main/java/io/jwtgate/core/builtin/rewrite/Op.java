package io.jwtgate.core.builtin.rewrite;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.VariableSetter;
import java.util.function.Supplier;

/**
 * One compiled directive of a rewrite script (nginx's script codes): it either lets the script go on ({@link #NEXT})
 * or ends it with the phase handler's result. Scripts are arrays of these, run in order; an {@code if} holds the
 * script of its block.
 */
interface Op {

    /** Go on with the next directive. */
    int NEXT = Integer.MIN_VALUE;

    /**
     * Runs the directive.
     *
     * @param log {@code rewrite_log} of the location the script belongs to
     */
    int run(HttpExchange x, boolean log);

    /** Runs {@code script} until a directive ends it; {@link #NEXT} when none did. */
    static int runAll(Op[] script, HttpExchange x, boolean log) {
        for (Op op : script) {
            int rc = op.run(x, log);
            if (rc != NEXT) {
                return rc;
            }
        }
        return NEXT;
    }

    /** {@code set $name value}: stored in the request, or handed to the variable's setter ({@code $args}). */
    record Set(int index, ComplexValue value, VariableSetter setter, Object data) implements Op {
        @Override
        public int run(HttpExchange x, boolean log) {
            String v = value.evaluate(x);
            if (setter != null) {
                setter.set(x, v, data);
            } else {
                x.setVariable(index, v);
            }
            return NEXT;
        }
    }

    /** {@code break}: the script ends, and a URI changed by {@code rewrite} stays in this location. */
    record Break() implements Op {
        @Override
        public int run(HttpExchange x, boolean log) {
            x.cancelReroute();
            return PhaseHandler.DECLINED;
        }
    }

    /**
     * {@code if (condition) { ... }}: when the condition holds, the block's directives run in line and, in a
     * location, the request goes on with the block's pseudo-location ({@code pseudoLocation} gives {@code null} in
     * a server).
     */
    record If(Condition condition, Op[] body, Supplier<LocationConf> pseudoLocation) implements Op {
        @Override
        public int run(HttpExchange x, boolean log) {
            if (!condition.test(x, log)) {
                return NEXT;
            }
            LocationConf loc = pseudoLocation.get();
            if (loc != null) {
                x.useLocation(loc);
            }
            return runAll(body, x, log);
        }
    }
}
