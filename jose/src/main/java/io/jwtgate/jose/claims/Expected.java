package io.jwtgate.jose.claims;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.jwtgate.jose.internal.StrictJson;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The expected side of a rule, compiled for one operator: a typed {@code json=} value or literal
 * items with their number/boolean/null readings worked out in advance, and the RE2 pattern for
 * {@code match}. Built once for constant texts and once per request for interpolated texts.
 */
final class Expected {

    private static final String JSON_PREFIX = "json=";

    /** One literal with every typed reading precomputed. */
    static final class Literal {
        final String text;
        final BigDecimal number; // null if not a number
        final int bool; // -1 not a boolean, 0 false, 1 true
        final boolean isNull;

        Literal(String text) {
            this.text = text;
            this.number = parseNumber(text);
            this.bool = text.equals("true") ? 1 : text.equals("false") ? 0 : -1;
            this.isNull = text.equals("null");
        }
    }

    final JsonNode json; // non-null in json= mode
    final Literal[] literals; // non-null in literal mode (one item unless in/any)
    final Pattern pattern; // non-null for match

    private Expected(JsonNode json, Literal[] literals, Pattern pattern) {
        this.json = json;
        this.literals = literals;
        this.pattern = pattern;
    }

    /** Error carrier for {@link #compile}: config-time callers turn it into a message. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static Expected compile(Operator op, String text) throws Invalid {
        if (text.startsWith(JSON_PREFIX)) {
            JsonNode v;
            try {
                v = StrictJson.parse(text.substring(JSON_PREFIX.length()), StrictJson.DEFAULT_MAX_DEPTH);
            } catch (StrictJson.Invalid e) {
                throw new Invalid("invalid json= value: " + e.getMessage());
            }
            switch (op) {
                case GT:
                case GE:
                case LT:
                case LE:
                    if (!v.isNumber()) {
                        throw new Invalid("operator " + op.keyword() + " needs a number");
                    }
                    return new Expected(v, null, null);
                case MATCH:
                    if (!v.isTextual()) {
                        throw new Invalid("operator match needs a string pattern");
                    }
                    return new Expected(v, null, regex(v.textValue()));
                default:
                    return new Expected(v, null, null);
            }
        }
        switch (op) {
            case MATCH:
                return new Expected(null, new Literal[] {new Literal(text)}, regex(text));
            case IN:
            case ANY: {
                List<Literal> items = new ArrayList<>();
                int start = 0;
                while (true) {
                    int comma = text.indexOf(',', start);
                    String item = (comma < 0 ? text.substring(start) : text.substring(start, comma)).strip();
                    items.add(new Literal(item));
                    if (comma < 0) {
                        break;
                    }
                    start = comma + 1;
                }
                return new Expected(null, items.toArray(new Literal[0]), null);
            }
            case GT:
            case GE:
            case LT:
            case LE: {
                Literal l = new Literal(text);
                if (l.number == null) {
                    throw new Invalid("operator " + op.keyword() + " needs a number");
                }
                return new Expected(null, new Literal[] {l}, null);
            }
            default:
                return new Expected(null, new Literal[] {new Literal(text)}, null);
        }
    }

    private static Pattern regex(String p) throws Invalid {
        try {
            return Pattern.compile(p);
        } catch (PatternSyntaxException e) {
            throw new Invalid("invalid regular expression: " + e.getDescription());
        }
    }

    /**
     * Parses a JSON-grammar number without exceptions for non-numbers (literals arrive per request
     * when interpolated). Returns {@code null} if {@code s} is not a JSON number.
     */
    static BigDecimal parseNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        int intStart = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == intStart || (s.charAt(intStart) == '0' && i - intStart > 1)) {
            return null;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            int f = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == f) {
                return null;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int e = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == e || i - e > 6) {
                return null;
            }
        }
        if (i != n || n > 400) {
            return null;
        }
        return new BigDecimal(s);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
