package io.jwtgate.jose.claims;

import com.fasterxml.jackson.databind.JsonNode;
import io.jwtgate.jose.Reason;
import java.util.Collection;

/**
 * Checks of the registered claims {@code exp}, {@code nbf}, {@code iss} and {@code aud}
 * (docs/jwt.md#validation-order). Pure functions: the current time is a parameter, never read
 * here. Each returns {@code null} when the check passes, else the reason.
 */
public final class StandardClaims {

    private StandardClaims() {
    }

    /**
     * {@code exp} (when {@code validateExp}): must be present and numeric; rejects when
     * {@code now >= exp + leeway}. {@code nbf} (always, when present): must be numeric; rejects when
     * {@code now < nbf - leeway}.
     */
    public static Reason checkTime(JsonNode payload, long nowSeconds, long leewaySeconds, boolean validateExp) {
        if (validateExp) {
            JsonNode exp = payload.get("exp");
            if (exp == null) {
                return Reason.MISSING_EXP;
            }
            if (!exp.isNumber()) {
                return Reason.INVALID_EXP;
            }
            if (exp.isIntegralNumber() && exp.canConvertToLong()) {
                if (nowSeconds >= saturatedAdd(exp.longValue(), leewaySeconds)) {
                    return Reason.EXPIRED;
                }
            } else if ((double) nowSeconds >= exp.doubleValue() + leewaySeconds) {
                return Reason.EXPIRED;
            }
        }
        JsonNode nbf = payload.get("nbf");
        if (nbf != null) {
            if (!nbf.isNumber()) {
                return Reason.INVALID_NBF;
            }
            if (nbf.isIntegralNumber() && nbf.canConvertToLong()) {
                if (nowSeconds < saturatedAdd(nbf.longValue(), -leewaySeconds)) {
                    return Reason.NOT_YET_VALID;
                }
            } else if ((double) nowSeconds < nbf.doubleValue() - leewaySeconds) {
                return Reason.NOT_YET_VALID;
            }
        }
        return null;
    }

    /** {@code iss} must be a string equal to one of {@code issuers}; a missing claim rejects. */
    public static Reason checkIssuer(JsonNode payload, Collection<String> issuers) {
        JsonNode iss = payload.get("iss");
        if (iss == null || !iss.isTextual() || !issuers.contains(iss.textValue())) {
            return Reason.ISSUER_MISMATCH;
        }
        return null;
    }

    /**
     * {@code aud}, a string or an array of strings, must contain one of {@code audiences}; a missing
     * or malformed claim rejects.
     */
    public static Reason checkAudience(JsonNode payload, Collection<String> audiences) {
        JsonNode aud = payload.get("aud");
        if (aud == null) {
            return Reason.AUDIENCE_MISMATCH;
        }
        if (aud.isTextual()) {
            return audiences.contains(aud.textValue()) ? null : Reason.AUDIENCE_MISMATCH;
        }
        if (!aud.isArray()) {
            return Reason.AUDIENCE_MISMATCH;
        }
        boolean found = false;
        for (JsonNode a : aud) {
            if (!a.isTextual()) {
                return Reason.AUDIENCE_MISMATCH; // an array of strings (docs/jwt.md#jwt_issuer-jwt_audience)
            }
            found |= audiences.contains(a.textValue());
        }
        return found ? null : Reason.AUDIENCE_MISMATCH;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        // Overflow iff both operands have the sign opposite to the result.
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
