package io.jwtgate.jwt;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.ComplexValue;

/**
 * Finds the token of a request (docs/jwt.md#validation-order, step 1). Implementations are immutable and shared by
 * every request of the locations that use them.
 */
interface TokenExtractor {

    /** The token, or {@code null} when the request carries none (which is not the same as a malformed token). */
    String extract(HttpExchange x);

    /**
     * The default: {@code Authorization: Bearer <token>}, scheme compared case-insensitively, one or more spaces,
     * trailing whitespace ignored. Any other scheme, or {@code Bearer} with nothing after it, is no token.
     */
    static TokenExtractor bearer() {
        return BearerTokenExtractor.INSTANCE;
    }

    /** {@code jwt_secret token=$variable}: the variable's value; empty counts as no token. */
    static TokenExtractor variable(ComplexValue value) {
        return new VariableTokenExtractor(value);
    }

    /** See {@link TokenExtractor#bearer()}. */
    enum BearerTokenExtractor implements TokenExtractor {
        INSTANCE;

        private static final String SCHEME = "Bearer";

        @Override
        public String extract(HttpExchange x) {
            return parse(x.header("Authorization"));
        }

        /** The token of an Authorization header value, or {@code null}. */
        static String parse(String h) {
            if (h == null || h.length() <= SCHEME.length() || !h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                    || h.charAt(SCHEME.length()) != ' ') {
                return null;
            }
            int start = SCHEME.length() + 1;
            int end = h.length();
            while (start < end && h.charAt(start) == ' ') {
                start++;
            }
            while (end > start && (h.charAt(end - 1) == ' ' || h.charAt(end - 1) == '\t')) {
                end--;
            }
            return start == end ? null : h.substring(start, end);
        }
    }

    /** See {@link TokenExtractor#variable(ComplexValue)}. */
    final class VariableTokenExtractor implements TokenExtractor {
        private final ComplexValue value;

        VariableTokenExtractor(ComplexValue value) {
            this.value = value;
        }

        @Override
        public String extract(HttpExchange x) {
            String v = value.evaluate(x);
            return v.isEmpty() ? null : v;
        }

        @Override
        public String toString() {
            return "token=" + value.raw();
        }
    }
}
