package io.jwtgate.jose;

/**
 * Outcome of {@link JwsParser#parse}: a {@link Jws} or a rejection with a {@link Reason} and a short,
 * constant detail for debug logs. Rejections are preallocated, so a malformed token costs no
 * allocation for its result.
 */
public final class JwsResult {

    static final JwsResult TOO_LARGE = reject(Reason.TOO_LARGE, "token longer than the limit");
    static final JwsResult SEGMENTS = reject(Reason.MALFORMED, "not three dot-separated segments");
    static final JwsResult JWE = reject(Reason.MALFORMED, "JWE (five segments) not supported");
    static final JwsResult EMPTY_SEGMENT = reject(Reason.MALFORMED, "empty header or payload");
    static final JwsResult BASE64 = reject(Reason.MALFORMED, "invalid base64url");
    static final JwsResult HEADER_JSON = reject(Reason.MALFORMED, "header is not a valid JSON object");
    static final JwsResult PAYLOAD_JSON = reject(Reason.MALFORMED, "payload is not a valid JSON object");
    static final JwsResult ALG = reject(Reason.MALFORMED, "alg missing or not a string");
    static final JwsResult KID = reject(Reason.MALFORMED, "kid is not a string");
    static final JwsResult CRIT = reject(Reason.MALFORMED, "crit header not supported");
    static final JwsResult EMPTY_SIGNATURE = reject(Reason.MALFORMED, "empty signature");

    private final Jws jws;
    private final Reason reason;
    private final String detail;

    private JwsResult(Jws jws, Reason reason, String detail) {
        this.jws = jws;
        this.reason = reason;
        this.detail = detail;
    }

    static JwsResult ok(Jws jws) {
        return new JwsResult(jws, null, null);
    }

    private static JwsResult reject(Reason reason, String detail) {
        return new JwsResult(null, reason, detail);
    }

    /** True if the token decoded. */
    public boolean isOk() {
        return jws != null;
    }

    /** The decoded token; {@code null} when rejected. */
    public Jws jws() {
        return jws;
    }

    /** Why the token was rejected; {@code null} when {@link #isOk()}. */
    public Reason reason() {
        return reason;
    }

    /** A constant, token-free explanation for debug logs; {@code null} when {@link #isOk()}. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return isOk() ? "JwsResult[" + jws + "]" : "JwsResult[" + reason + ": " + detail + "]";
    }
}
