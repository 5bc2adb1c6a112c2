package io.jwtgate.jose;

/**
 * Why a token was rejected. Every stage of validation reports one of these; the gateway maps it
 * to the status, the {@code error_description}, the log line, {@code $jwt_status} and metrics.
 *
 * <p>{@link #text()} is a short category suitable for clients: it never contains key material,
 * claim values or the token.
 */
public enum Reason {
    /** No token was presented. */
    NO_TOKEN("no token"),
    /** Not a well-formed compact JWS (segments, base64url, JSON, limits). */
    MALFORMED("malformed token"),
    /** The token is longer than the configured maximum; nothing was decoded. */
    TOO_LARGE("token too large"),
    /** {@code alg} is {@code none}, unknown or not supported. */
    UNSUPPORTED_ALGORITHM("unsupported algorithm"),
    /** No key at all is available (no source holds a usable key). */
    NO_USABLE_KEY("no usable key"),
    /**
     * The gateway could not check the token: every key source it asked failed (no answer, timeout, error status,
     * broken document) and no other key exists. Not the token's fault; never returned by the verifier.
     */
    KEYS_UNAVAILABLE("key sources unavailable"),
    /** Keys exist but none is a candidate for this token (unknown kid, or kid/alg mismatch). */
    NO_MATCHING_KEY("no matching key"),
    /** Candidate keys were tried and none verified the signature. */
    BAD_SIGNATURE("signature verification failed"),
    /** The {@code sub} or {@code kid} is on a revocation list. */
    REVOKED("token revoked"),
    /** A {@code sub} revocation list is in force but the token has no string {@code sub}. */
    MISSING_SUB("missing sub"),
    /** A {@code kid} revocation list is in force but the token has no {@code kid}. */
    MISSING_KID("missing kid"),
    /** {@code exp} validation is on and the claim is absent. */
    MISSING_EXP("missing exp"),
    /** {@code exp} is present but not a number. */
    INVALID_EXP("invalid exp"),
    /** {@code now >= exp + leeway}. */
    EXPIRED("token expired"),
    /** {@code nbf} is present but not a number. */
    INVALID_NBF("invalid nbf"),
    /** {@code now < nbf - leeway}. */
    NOT_YET_VALID("token not yet valid"),
    /** {@code iss} missing, not a string, or not an accepted issuer. */
    ISSUER_MISMATCH("issuer mismatch"),
    /** {@code aud} missing, malformed, or containing no accepted audience. */
    AUDIENCE_MISMATCH("audience mismatch"),
    /** A {@code jwt_require_claim} rule failed. */
    CLAIM_REQUIREMENT_FAILED("claim requirement failed"),
    /** A {@code jwt_require_header} rule failed. */
    HEADER_REQUIREMENT_FAILED("header requirement failed"),
    /** A {@code jwt_require} variable check failed. */
    REQUIREMENT_FAILED("requirement failed");

    private final String text;

    Reason(String text) {
        this.text = text;
    }

    /** Short, client-safe description, used for {@code error_description} and logs. */
    public String text() {
        return text;
    }

    /**
     * True for every reason except {@link #NO_TOKEN}: the challenge says {@code error="invalid_token"}
     * (docs/jwt.md#failure-responses).
     */
    public boolean isInvalidToken() {
        return this != NO_TOKEN;
    }
}
