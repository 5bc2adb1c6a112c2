package io.jwtgate.jwt;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.ComplexValue;

/**
 * A compiled {@code jwt_require $v ... [error=N]} (docs/jwt.md#jwt_require): fails when any value is empty or
 * exactly {@code 0}, with its own status.
 *
 * @param values the values to test, in order
 * @param status the status when it fails, 400-599 (default 401)
 */
record Requirement(ComplexValue[] values, int status) {

    /** True when every value is non-empty and not {@code 0}. */
    boolean test(HttpExchange x) {
        for (ComplexValue v : values) {
            String s = v.evaluate(x);
            if (s.isEmpty() || s.equals("0")) {
                return false;
            }
        }
        return true;
    }
}
