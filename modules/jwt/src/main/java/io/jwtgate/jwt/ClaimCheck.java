package io.jwtgate.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.jose.claims.ClaimRule;

/**
 * A compiled {@code jwt_require_claim} or {@code jwt_require_header}: the JOSE {@link ClaimRule}, plus the value to
 * interpolate per request when it contains variables ({@code null} for a constant rule, whose expected value was
 * parsed, and for {@code match} regex-compiled, at configuration time).
 *
 * @param rule the rule
 * @param dynamic the expected value to evaluate per request, or {@code null}
 * @param header true for {@code jwt_require_header} (tested against the JOSE header, not the payload)
 */
record ClaimCheck(ClaimRule rule, ComplexValue dynamic, boolean header) {

    /** True when the rule holds for this document. */
    boolean test(JsonNode document, HttpExchange x) {
        return dynamic == null ? rule.test(document) : rule.test(document, dynamic.evaluate(x));
    }
}
