package io.jwtgate.jwt;

import io.jwtgate.core.http.Response;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.Reason;

/**
 * The JWT module's per-request state, kept in the request's module ctx slot: the decoded token and the verdict, so
 * that a phase that runs again does not validate twice and variables can read the token lazily.
 */
final class JwtState {

    /** The configuration the verdict was reached for. */
    final JwtConf conf;
    /** The token text as extracted, for the verified-token cache. */
    String token;
    /** What the verified-token cache knew about this token when the request started, or {@code null}. */
    TokenCache.Entry cached;
    /** The decoded token, once it decoded (header variables are readable from then on); else {@code null}. */
    Jws jws;
    /** True once every check except {@code jwt_require} passed: claim variables are readable from then on. */
    boolean claimsVisible;
    /** Why the request was rejected; {@code null} while validating and when it passed. */
    Reason reason;
    /** Whether validation has finished. */
    boolean done;
    /** The status to end the request with; 0 when it passed. */
    int status;
    /** The response to send with {@link #status}; {@code null} when it passed. */
    Response response;
    /** {@code $jwt_claims}, rendered on first use. */
    String claimsJson;

    /** Set in a key subrequest that is a forced refresh: {@code $jwt_key_refresh} is 1 there. */
    boolean keyRefresh;
    /** The key sets fetched by {@code jwt_key_request} for this request, once they arrived. */
    java.util.List<io.jwtgate.jose.KeySet> fetchedKeys;
    /** Every key source asked failed and the location has no other key: a missing key is then answered 503. */
    boolean keysUnavailable;

    JwtState(JwtConf conf) {
        this.conf = conf;
    }

    /** The state a forced-refresh key subrequest starts with. */
    static JwtState keyRefresh() {
        JwtState s = new JwtState(null);
        s.keyRefresh = true;
        return s;
    }

    /** {@code $jwt_status}: {@code ok}, the short reason, or {@code null} before validation ended. */
    String statusText() {
        if (!done) {
            return null;
        }
        return reason == null ? "ok" : reason.text();
    }
}
