package io.jwtgate.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwtgate.jose.internal.Base64Url;
import io.jwtgate.jose.internal.StrictJson;

/**
 * Decodes compact JWS tokens under the input limits of docs/jwt.md#input-limits. Immutable and
 * thread-safe.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>default</th></tr>
 *   <tr><td>token length, checked before any decoding</td><td>{@value #DEFAULT_MAX_LENGTH} chars</td></tr>
 *   <tr><td>JSON nesting in header and payload</td><td>{@value StrictJson#DEFAULT_MAX_DEPTH}</td></tr>
 * </table>
 *
 * <p>Rules: exactly three segments (two dots); header and payload non-empty; strict base64url (no
 * padding, no whitespace, canonical trailing bits); header and payload UTF-8 JSON objects without
 * duplicate names or trailing data; {@code alg} a string; {@code kid} a string if present;
 * {@code crit} rejected (no extension is understood); an empty signature only with {@code alg: none}.
 * An unsupported {@code alg} is not a parse error: it is reported by the verifier, so that
 * {@code jwt_validate_sig off} can still read such a token.
 */
public final class JwsParser {

    /** Default maximum token length: 16 KiB. */
    public static final int DEFAULT_MAX_LENGTH = 16 * 1024;

    private static final JwsParser DEFAULT = new JwsParser(DEFAULT_MAX_LENGTH);

    private final int maxLength;

    private JwsParser(int maxLength) {
        this.maxLength = maxLength;
    }

    /** A parser with the default limits. */
    public static JwsParser create() {
        return DEFAULT;
    }

    /** A parser accepting tokens of at most {@code maxLength} chars. */
    public static JwsParser withMaxLength(int maxLength) {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("maxLength: " + maxLength + " (expected: > 0)");
        }
        return new JwsParser(maxLength);
    }

    /** The maximum token length in chars. */
    public int maxLength() {
        return maxLength;
    }

    /** Decodes {@code token}; never throws on bad input. */
    public JwsResult parse(CharSequence token) {
        int len = token.length();
        if (len > maxLength) {
            return JwsResult.TOO_LARGE;
        }
        // One pass: copy to ASCII bytes (the signing input is bytes anyway) and find the dots.
        byte[] ascii = new byte[len];
        int dot1 = -1;
        int dot2 = -1;
        int dots = 0;
        for (int i = 0; i < len; i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (dots == 0) {
                    dot1 = i;
                } else if (dots == 1) {
                    dot2 = i;
                }
                dots++;
            }
            // Non-ASCII chars become 0xFF, which the base64url decoder rejects.
            ascii[i] = c < 0x80 ? (byte) c : (byte) 0xFF;
        }
        if (dots != 2) {
            return dots == 4 ? JwsResult.JWE : JwsResult.SEGMENTS;
        }
        if (dot1 == 0 || dot2 == dot1 + 1) {
            return JwsResult.EMPTY_SEGMENT;
        }
        byte[] headerBytes = Base64Url.decode(ascii, 0, dot1);
        byte[] payloadBytes = Base64Url.decode(ascii, dot1 + 1, dot2);
        byte[] signature = Base64Url.decode(ascii, dot2 + 1, len);
        if (headerBytes == null || payloadBytes == null || signature == null) {
            return JwsResult.BASE64;
        }
        ObjectNode header = StrictJson.parseObjectOrNull(headerBytes, StrictJson.DEFAULT_MAX_DEPTH);
        if (header == null) {
            return JwsResult.HEADER_JSON;
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            return JwsResult.ALG;
        }
        JsonNode kid = header.get("kid");
        if (kid != null && !kid.isTextual()) {
            return JwsResult.KID;
        }
        if (header.has("crit")) {
            // a recipient must reject extensions it does not understand, and we know none (docs/jwt.md#standards)
            return JwsResult.CRIT;
        }
        if (signature.length == 0 && !alg.textValue().equals("none")) {
            return JwsResult.EMPTY_SIGNATURE;
        }
        ObjectNode payload = StrictJson.parseObjectOrNull(payloadBytes, StrictJson.DEFAULT_MAX_DEPTH);
        if (payload == null) {
            return JwsResult.PAYLOAD_JSON;
        }
        return JwsResult.ok(new Jws(ascii, dot2, header, payload, alg.textValue(),
                kid == null ? null : kid.textValue(), signature));
    }
}
