package io.jwtgate.core.var;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.route.RegexCaptures;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * A configuration value with {@code $variables} in it, compiled once: literal pieces and variable indexes
 * alternate. A value without variables is a constant and evaluates without allocation.
 */
public final class ComplexValue {

    private final String raw;
    private final String[] literals; // literals.length == refs.length + 1
    private final int[] refs; // variable index, or -(n+1) for regex capture $n

    ComplexValue(String raw, String[] literals, int[] refs) {
        this.raw = raw;
        this.literals = literals;
        this.refs = refs;
    }

    public static ComplexValue constant(String value) {
        return new ComplexValue(value, new String[] {value}, new int[0]);
    }

    public boolean isConstant() {
        return refs.length == 0;
    }

    /** The value when {@link #isConstant()}. */
    public String constant() {
        return literals[0];
    }

    /** The text as written in the configuration. */
    public String raw() {
        return raw;
    }

    /** The variables referenced, in order: each a variable index, or {@code -(n+1)} for regex capture {@code $n}. */
    public int[] references() {
        return refs.clone();
    }

    /** Whether the value is exactly one variable, e.g. {@code $cookie_token}. */
    public boolean isSingleVariable() {
        return refs.length == 1 && literals[0].isEmpty() && literals[1].isEmpty();
    }

    public String evaluate(HttpExchange x) {
        return evaluate(x, null);
    }

    /**
     * The value with regex captures ({@code $1}, and named groups compiled in a regex's scope) taken from
     * {@code captures} instead of the request's location match; {@code null} means the request's.
     */
    public String evaluate(HttpExchange x, RegexCaptures captures) {
        if (refs.length == 0) {
            return literals[0];
        }
        if (isSingleVariable()) {
            String v = value(x, refs[0], captures);
            return v == null ? "" : v;
        }
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < refs.length; i++) {
            sb.append(literals[i]);
            String v = value(x, refs[i], captures);
            if (v != null) {
                sb.append(v);
            }
        }
        return sb.append(literals[refs.length]).toString();
    }

    /**
     * The value with each regex capture passed through {@code quote} (variables are not), as nginx copies the
     * captures of {@code rewrite} into arguments and redirects, escaped.
     */
    public String evaluateQuotingCaptures(HttpExchange x, UnaryOperator<String> quote) {
        if (refs.length == 0) {
            return literals[0];
        }
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < refs.length; i++) {
            sb.append(literals[i]);
            String v = value(x, refs[i], null);
            if (v != null) {
                sb.append(refs[i] < 0 ? quote.apply(v) : v);
            }
        }
        return sb.append(literals[refs.length]).toString();
    }

    /** Writes the value into {@code sb}, passing each variable's value (possibly {@code null}) through {@code var}. */
    public void appendTo(StringBuilder sb, HttpExchange x, BiConsumer<StringBuilder, String> var) {
        for (int i = 0; i < refs.length; i++) {
            sb.append(literals[i]);
            var.accept(sb, value(x, refs[i], null));
        }
        sb.append(literals[refs.length]);
    }

    private static String value(HttpExchange x, int ref, RegexCaptures captures) {
        if (ref >= 0) {
            return x.variable(ref);
        }
        return captures == null ? x.capture(-ref - 1) : captures.group(-ref - 1);
    }

    @Override
    public String toString() {
        return raw;
    }
}
