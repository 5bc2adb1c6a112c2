package io.jwtgate.jose;

/**
 * Why a token was rejected. Every stage of validation reports one of these; the gateway maps it
 * to the status, the {@code error_description}, the log line, {@code $jwt_status} and metrics.
 *
 * <p>{@link #word()} names the reason for machines; {@link #text()} is a short category suitable for clients.
 * Neither ever contains key material, claim values or the token.
 */
public enum Reason {
    /** No token was presented. */
    NO_TOKEN("no_token", "no token"),
    /** Not a well-formed compact JWS (segments, base64url, JSON, limits). */
    MALFORMED("malformed", "malformed token"),
    /** The token is longer than the configured maximum; nothing was decoded. */
    TOO_LARGE("too_large", "token too large"),
    /** {@code alg} is {@code none}, unknown or not supported. */
    UNSUPPORTED_ALGORITHM("unsupported_alg", "unsupported algorithm"),
    /** No key at all is available (no source holds a usable key). */
    NO_USABLE_KEY("no_key", "no usable key"),
    /**
     * The gateway could not check the token: every key source it asked failed (no answer, timeout, error status,
     * broken document) and no other key exists. Not the token's fault; never returned by the verifier.
     */
    KEYS_UNAVAILABLE("keys_unavailable", "key sources unavailable"),
    /** Keys exist but none is a candidate for this token (unknown kid, or kid/alg mismatch). */
    NO_MATCHING_KEY("unknown_key", "no matching key"),
    /** Candidate keys were tried and none verified the signature. */
    BAD_SIGNATURE("bad_signature", "signature verification failed"),
    /** The {@code sub} or {@code kid} is on a revocation list. */
    REVOKED("revoked", "token revoked"),
    /** A {@code sub} revocation list is in force but the token has no string {@code sub}. */
    MISSING_SUB("missing_sub", "missing sub"),
    /** A {@code kid} revocation list is in force but the token has no {@code kid}. */
    MISSING_KID("missing_kid", "missing kid"),
    /** {@code exp} validation is on and the claim is absent. */
    MISSING_EXP("missing_exp", "missing exp"),
    /** {@code exp} is present but not a number. */
    INVALID_EXP("invalid_exp", "invalid exp"),
    /** {@code now >= exp + leeway}. */
    EXPIRED("expired", "token expired"),
    /** {@code nbf} is present but not a number. */
    INVALID_NBF("invalid_nbf", "invalid nbf"),
    /** {@code now < nbf - leeway}. */
    NOT_YET_VALID("not_yet_valid", "token not yet valid"),
    /** {@code iss} missing, not a string, or not an accepted issuer. */
    ISSUER_MISMATCH("issuer", "issuer mismatch"),
    /** {@code aud} missing, malformed, or containing no accepted audience. */
    AUDIENCE_MISMATCH("audience", "audience mismatch"),
    /** A {@code jwt_require_claim} rule failed. */
    CLAIM_REQUIREMENT_FAILED("claim_rule", "claim requirement failed"),
    /** A {@code jwt_require_header} rule failed. */
    HEADER_REQUIREMENT_FAILED("header_rule", "header requirement failed"),
    /** A {@code jwt_require} variable check failed. */
    REQUIREMENT_FAILED("require", "requirement failed");

    private final String word;
    private final String text;

    Reason(String word, String text) {
        this.word = word;
        this.text = text;
    }

    /**
     * The machine name ({@code bad_signature}, {@code expired}): {@code $jwt_status}, the log line and metrics
     * labels; lower case, digits and underscores, stable across versions (docs/jwt.md#variables).
     */
    public String word() {
        return word;
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
