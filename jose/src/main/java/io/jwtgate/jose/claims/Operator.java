package io.jwtgate.jose.claims;

/**
 * Comparison operators of {@code jwt_require_claim}/{@code jwt_require_header}
 * (docs/jwt.md#jwt_require_claim-jwt_require_header).
 * Negation is not an operator of its own: see {@link ClaimRule#negated()}.
 */
public enum Operator {
    /** Deep equality (numbers compare by value: {@code 1} eq {@code 1.0}). */
    EQ("eq"),
    /** Greater than; numbers only. */
    GT("gt"),
    /** Greater than or equal; numbers only. */
    GE("ge"),
    /** Less than; numbers only. */
    LT("lt"),
    /** Less than or equal; numbers only. */
    LE("le"),
    /** The actual value equals an element of the expected list, or is a key of an expected object. */
    IN("in"),
    /** The actual value, or one element of an actual array, equals an element of the expected list. */
    ANY("any"),
    /** The actual value is a string in which the RE2 pattern finds a match. */
    MATCH("match");

    private final String keyword;

    Operator(String keyword) {
        this.keyword = keyword;
    }

    /** The operator as written in configuration (without negation). */
    public String keyword() {
        return keyword;
    }

    /** A parsed operator token: the operator and whether it is negated. */
    static final class Parsed {
        final Operator op;
        final boolean negated;

        Parsed(Operator op, boolean negated) {
            this.op = op;
            this.negated = negated;
        }
    }

    /**
     * Parses {@code eq}, {@code !eq}, ... and the aliases {@code intersect} (= any), {@code ne}
     * (= !eq), {@code nin} (= !in), {@code nintersect} (= !any).
     *
     * @throws IllegalArgumentException for an unknown operator
     */
    static Parsed parse(String text) {
        switch (text) {
            case "ne":
                return new Parsed(EQ, true);
            case "nin":
                return new Parsed(IN, true);
            case "nintersect":
                return new Parsed(ANY, true);
            default:
                break;
        }
        boolean neg = text.startsWith("!");
        String base = neg ? text.substring(1) : text;
        if (base.equals("intersect")) {
            return new Parsed(ANY, neg);
        }
        for (Operator o : values()) {
            if (o.keyword.equals(base)) {
                return new Parsed(o, neg);
            }
        }
        throw new IllegalArgumentException("unknown operator \"" + text + "\"");
    }
}
