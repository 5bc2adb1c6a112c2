package io.jwtgate.jwt;

import io.jwtgate.core.http.Response;
import io.jwtgate.jose.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The responses of the JWT module (docs/jwt.md#failure-responses), encoded once per location at configuration
 * time. One {@link Reason} decides the challenge and the JSON body:
 *
 * <table>
 *   <caption>Responses</caption>
 *   <tr><th>outcome</th><th>status</th><th>{@code WWW-Authenticate}</th><th>body {@code error}</th></tr>
 *   <tr><td>no token</td><td>401</td><td>{@code Bearer realm="<realm>"}</td><td>{@code unauthorized}</td></tr>
 *   <tr><td>any other reason</td><td>401</td>
 *       <td>{@code Bearer realm="<realm>", error="invalid_token", error_description="<reason>"}</td>
 *       <td>{@code invalid_token}</td></tr>
 *   <tr><td>{@code jwt_require ... error=N}</td><td>N</td><td>as above only when N is 401</td>
 *       <td>{@code invalid_token} (401), {@code invalid_request} (400), {@code insufficient_scope} (403),
 *       else {@code access_denied}</td></tr>
 *   <tr><td>every key source asked failed, no other key</td><td>503 with {@code Retry-After}</td><td>none</td>
 *       <td>{@code temporarily_unavailable}</td></tr>
 * </table>
 *
 * <p>The realm part appears only with {@code jwt_realm}.
 */
final class Failures {

    static final String CONTENT_TYPE = "application/json";

    /**
     * {@code Retry-After} of the 503 sent when no key source could be reached. A failed fetch is not cached, so each
     * retry costs the identity provider one more attempt: 10 seconds spreads a fleet's retries out, and is short
     * next to the minutes an access token lives (docs/jwt.md#jwt_key_request).
     */
    static final int RETRY_AFTER_SECONDS = 10;

    /** Every key source asked failed: the token may be fine, the gateway cannot check it. */
    static final Response UNAVAILABLE = new Response(CONTENT_TYPE,
            body("temporarily_unavailable", Reason.KEYS_UNAVAILABLE),
            List.<String[]>of(new String[] {"Retry-After", Integer.toString(RETRY_AFTER_SECONDS)}));

    private Failures() {
    }

    /** Responses for every reason, indexed by {@link Reason#ordinal()}, all with status 401. */
    static Response[] byReason(String realm) {
        Reason[] all = Reason.values();
        Response[] out = new Response[all.length];
        for (Reason r : all) {
            out[r.ordinal()] = response(realm, 401, r);
        }
        return out;
    }

    /** The response of a failed {@code jwt_require} with status {@code status}. */
    static Response response(String realm, int status, Reason reason) {
        String error;
        if (reason == Reason.NO_TOKEN) {
            error = "unauthorized";
        } else {
            error = switch (status) {
                case 401 -> "invalid_token";
                case 400 -> "invalid_request";
                case 403 -> "insufficient_scope";
                default -> "access_denied";
            };
        }
        byte[] body = body(error, reason);
        if (status != 401) {
            return new Response(CONTENT_TYPE, body, List.of());
        }
        return new Response(CONTENT_TYPE, body, List.<String[]>of(new String[] {"WWW-Authenticate",
                challenge(realm, reason)}));
    }

    private static byte[] body(String error, Reason reason) {
        return ("{\"error\":\"" + error + "\",\"error_description\":\"" + reason.text() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code WWW-Authenticate} challenge (docs/jwt.md#failure-responses). */
    static String challenge(String realm, Reason reason) {
        StringBuilder sb = new StringBuilder("Bearer");
        if (realm != null) {
            sb.append(" realm=\"");
            quote(sb, realm);
            sb.append('"');
        }
        if (reason != Reason.NO_TOKEN) {
            sb.append(realm != null ? ", " : " ");
            sb.append("error=\"invalid_token\", error_description=\"").append(reason.text()).append('"');
        }
        return sb.toString();
    }

    /** Escapes {@code "} and {@code \} in the quoted {@code realm} (docs/jwt.md#jwt_realm). */
    private static void quote(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
    }

    /** A value from the token made safe for one log line: printable ASCII only, at most 64 chars. */
    static String printable(String s) {
        if (s == null) {
            return "-";
        }
        int n = Math.min(s.length(), 64);
        StringBuilder sb = new StringBuilder(n + 2).append('"');
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        if (s.length() > n) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
