package io.jwtgate.jose.claims;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A compiled {@code jwt_require_claim}/{@code jwt_require_header} rule: path, operator (maybe
 * negated) and expected value (docs/jwt.md#jwt_require_claim-jwt_require_header). Immutable and
 * thread-safe.
 *
 * <p>The expected text is either constant ({@link #compile}: parsed and, for {@code match},
 * regex-compiled once) or supplied per request after variable interpolation
 * ({@link #compileDynamic} then {@link #test(JsonNode, String)}). Both go through the same
 * compilation and evaluation code; a per-request text that does not compile makes the rule fail.
 *
 * <p>Value forms: {@code json=<JSON>} is a typed value compared strictly (same JSON type, except
 * that numbers compare by value); anything else is a literal converted to the type of the actual
 * claim (text for strings, a number for numbers, {@code true}/{@code false} for booleans,
 * {@code null} for null); for {@code in}/{@code any} a literal is a comma-separated list with each
 * element trimmed. A comparison that cannot be made (missing claim, unconvertible type, a
 * non-number for {@code gt}) fails whether or not the operator is negated.
 */
public final class ClaimRule {

    private static final int TRUE = 1;
    private static final int FALSE = 0;
    private static final int CANNOT = -1;

    private final ClaimPath path;
    private final Operator op;
    private final boolean negated;
    private final String operatorText;
    private final Expected expected; // null for dynamic rules
    /**
     * Dynamic rules: the last expected text compiled and its result. The text usually repeats from request to
     * request (a {@code $host}, a map value), and compiling it, an RE2 pattern above all, costs far more than
     * the comparison. One immutable pair, replaced whole: racing threads at worst compile twice.
     */
    private volatile Compiled last;

    private record Compiled(String text, Expected expected) {
    }

    private ClaimRule(ClaimPath path, Operator.Parsed op, String operatorText, Expected expected) {
        this.path = path;
        this.op = op.op;
        this.negated = op.negated;
        this.operatorText = operatorText;
        this.expected = expected;
    }

    /**
     * Compiles a rule with a constant expected text.
     *
     * @throws IllegalArgumentException for a bad path, unknown operator, invalid {@code json=}
     *     value, non-number for an ordering operator, or a pattern RE2 cannot compile
     */
    public static ClaimRule compile(String path, String operator, String expected) {
        Operator.Parsed op = Operator.parse(operator);
        ClaimPath p = ClaimPath.parse(path);
        try {
            return new ClaimRule(p, op, operator, Expected.compile(op.op, expected));
        } catch (Expected.Invalid e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * Compiles a rule whose expected text is given per request (it contains variables).
     *
     * @throws IllegalArgumentException for a bad path or unknown operator
     */
    public static ClaimRule compileDynamic(String path, String operator) {
        return new ClaimRule(ClaimPath.parse(path), Operator.parse(operator), operator, null);
    }

    /** The path. */
    public ClaimPath path() {
        return path;
    }

    /** The operator, without negation. */
    public Operator operator() {
        return op;
    }

    /** True for {@code !op} and the aliases {@code ne}, {@code nin}, {@code nintersect}. */
    public boolean negated() {
        return negated;
    }

    /** True if the expected text is given per request. */
    public boolean isDynamic() {
        return expected == null;
    }

    /**
     * Evaluates a constant rule against a JSON document (payload or header).
     *
     * @throws IllegalStateException if this rule is dynamic (a configuration bug)
     */
    public boolean test(JsonNode document) {
        if (expected == null) {
            throw new IllegalStateException("rule on " + path + " needs its expected value per request");
        }
        return evaluate(path.resolve(document), expected);
    }

    /**
     * Evaluates the rule with an expected text known only now. For a constant rule the text is
     * ignored and the precompiled value is used. Returns {@code false} if the text does not compile.
     */
    public boolean test(JsonNode document, String expectedText) {
        if (expected != null) {
            return evaluate(path.resolve(document), expected);
        }
        Compiled c = last;
        if (c == null || !c.text.equals(expectedText)) {
            try {
                c = new Compiled(expectedText, Expected.compile(op, expectedText));
            } catch (Expected.Invalid invalid) {
                return false; // e.g. interpolated json= that is not JSON: the rule cannot be checked
            }
            last = c;
        }
        return evaluate(path.resolve(document), c.expected);
    }

    private boolean evaluate(JsonNode actual, Expected e) {
        if (actual == null) {
            return false; // missing never passes, negated or not
        }
        int r = compare(actual, e);
        if (r == CANNOT) {
            return false;
        }
        return (r == TRUE) != negated;
    }

    private int compare(JsonNode actual, Expected e) {
        switch (op) {
            case EQ:
                return e.json != null ? bool(JsonCompare.equal(actual, e.json)) : literalEquals(actual, e.literals[0]);
            case GT:
            case GE:
            case LT:
            case LE: {
                if (!actual.isNumber()) {
                    return CANNOT;
                }
                int c = e.json != null ? JsonCompare.compareNumbers(actual, e.json)
                        : JsonCompare.compareNumber(actual, e.literals[0].number);
                switch (op) {
                    case GT: return bool(c > 0);
                    case GE: return bool(c >= 0);
                    case LT: return bool(c < 0);
                    default: return bool(c <= 0);
                }
            }
            case IN:
                return in(actual, e);
            case ANY:
                return any(actual, e);
            case MATCH:
                return actual.isTextual() ? bool(e.pattern.matcher(actual.textValue()).find()) : CANNOT;
            default:
                return CANNOT;
        }
    }

    private static int in(JsonNode actual, Expected e) {
        if (e.json != null) {
            JsonNode v = e.json;
            if (v.isObject()) {
                return actual.isTextual() ? bool(v.has(actual.textValue())) : CANNOT;
            }
            if (v.isArray()) {
                for (JsonNode el : v) {
                    if (JsonCompare.equal(actual, el)) {
                        return TRUE;
                    }
                }
                return FALSE;
            }
            return bool(JsonCompare.equal(actual, v));
        }
        return literalListContains(actual, e.literals);
    }

    private static int any(JsonNode actual, Expected e) {
        if (!actual.isArray()) {
            return e.json != null ? jsonListContains(actual, e.json) : literalListContains(actual, e.literals);
        }
        boolean found = false;
        for (JsonNode el : actual) {
            int r = e.json != null ? jsonListContains(el, e.json) : literalListContains(el, e.literals);
            if (r == CANNOT) {
                return CANNOT;
            }
            found |= r == TRUE;
        }
        return bool(found);
    }

    private static int jsonListContains(JsonNode actual, JsonNode list) {
        if (list.isObject()) {
            return CANNOT;
        }
        if (!list.isArray()) {
            return bool(JsonCompare.equal(actual, list));
        }
        for (JsonNode el : list) {
            if (JsonCompare.equal(actual, el)) {
                return TRUE;
            }
        }
        return FALSE;
    }

    private static int literalListContains(JsonNode actual, Expected.Literal[] items) {
        boolean found = false;
        for (Expected.Literal l : items) {
            int r = literalEquals(actual, l);
            if (r == CANNOT) {
                return CANNOT; // every element must be comparable, so a negated rule never slips through
            }
            found |= r == TRUE;
        }
        return bool(found);
    }

    /** A literal read as the type of the actual value. */
    private static int literalEquals(JsonNode actual, Expected.Literal l) {
        switch (actual.getNodeType()) {
            case STRING:
                return bool(actual.textValue().equals(l.text));
            case NUMBER:
                return l.number == null ? CANNOT : bool(JsonCompare.compareNumber(actual, l.number) == 0);
            case BOOLEAN:
                return l.bool < 0 ? CANNOT : bool(actual.booleanValue() == (l.bool == 1));
            case NULL:
                return l.isNull ? TRUE : CANNOT;
            default:
                return CANNOT; // arrays and objects have no literal form
        }
    }

    private static int bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    @Override
    public String toString() {
        return path + " " + operatorText + (expected == null ? " <per request>" : "");
    }
}
