package io.jwtgate.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.jose.ValidationPipeline;
import io.jwtgate.jose.claims.ClaimRule;

/**
 * A compiled {@code jwt_require_claim} or {@code jwt_require_header}
 * (docs/jwt.md#jwt_require_claim-jwt_require_header): the JOSE {@link ClaimRule}, plus the value to interpolate per
 * request when it contains variables ({@code null} for a constant rule, whose expected value was parsed, and for
 * {@code match} regex-compiled, at configuration time). A rule step of the location's {@link ValidationPipeline}.
 *
 * @param rule the rule
 * @param dynamic the expected value to evaluate per request, or {@code null}
 */
record ClaimCheck(ClaimRule rule, ComplexValue dynamic) implements ValidationPipeline.Rule<Authentication> {

    /** True when the rule holds for this document. */
    @Override
    public boolean test(Authentication request, JsonNode document) {
        return dynamic == null ? rule.test(document) : rule.test(document, dynamic.evaluate(request.exchange()));
    }
}
