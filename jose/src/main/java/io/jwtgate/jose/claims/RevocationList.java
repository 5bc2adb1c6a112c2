package io.jwtgate.jose.claims;

import com.fasterxml.jackson.databind.JsonNode;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.internal.StrictJson;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * An immutable set of revoked {@code sub} or {@code kid} values
 * (docs/jwt.md#jwt_revocation_list_sub-jwt_revocation_list_kid), parsed from a
 * JSON object whose member names are the values, or from a JSON array of strings. Matching is exact
 * and case-sensitive.
 */
public final class RevocationList {

    /** Default maximum document size: 16 MiB. */
    public static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

    private final Set<String> values;

    private RevocationList(Set<String> values) {
        this.values = Set.copyOf(values);
    }

    /** A list holding {@code values}. */
    public static RevocationList of(Set<String> values) {
        return new RevocationList(values);
    }

    /** The revoked values. */
    public Set<String> values() {
        return values;
    }

    /** True if {@code value} is revoked. */
    public boolean contains(String value) {
        return values.contains(value);
    }

    /**
     * Checks the token's {@code sub} against this list used as a sub list: a token without a
     * string {@code sub} fails with {@link Reason#MISSING_SUB}, a listed one with {@link Reason#REVOKED}.
     */
    public Reason checkSub(JsonNode payload) {
        JsonNode sub = payload.get("sub");
        if (sub == null || !sub.isTextual()) {
            return Reason.MISSING_SUB;
        }
        return values.contains(sub.textValue()) ? Reason.REVOKED : null;
    }

    /** Checks a token's {@code kid} (nullable) against this list used as a kid list. */
    public Reason checkKid(String kid) {
        if (kid == null) {
            return Reason.MISSING_KID;
        }
        return values.contains(kid) ? Reason.REVOKED : null;
    }

    /** Outcome of {@link #parse}: a list or an error message. */
    public static final class Result {
        private final RevocationList list;
        private final String error;

        private Result(RevocationList list, String error) {
            this.list = list;
            this.error = error;
        }

        /** True if the document parsed. */
        public boolean isOk() {
            return list != null;
        }

        /** The list; {@code null} on error. */
        public RevocationList list() {
            return list;
        }

        /** Why the document is unusable; {@code null} when {@link #isOk()}. */
        public String error() {
            return error;
        }
    }

    /** Parses a revocation document with the default size limit; never throws on bad input. */
    public static Result parse(byte[] document) {
        return parse(document, MAX_DOCUMENT_BYTES);
    }

    /** Parses a revocation document of at most {@code maxBytes}. */
    public static Result parse(byte[] document, int maxBytes) {
        if (document.length > maxBytes) {
            return new Result(null, "revocation list larger than " + maxBytes + " bytes");
        }
        JsonNode root;
        try {
            root = StrictJson.parse(document, 0, document.length, StrictJson.DEFAULT_MAX_DEPTH);
        } catch (StrictJson.Invalid e) {
            return new Result(null, "revocation list: " + e.getMessage());
        }
        Set<String> out = new HashSet<>();
        if (root.isObject()) {
            for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
                out.add(it.next());
            }
        } else if (root.isArray()) {
            for (JsonNode n : root) {
                if (!n.isTextual()) {
                    return new Result(null, "revocation list array holds a non-string");
                }
                out.add(n.textValue());
            }
        } else {
            return new Result(null, "revocation list must be a JSON object or array");
        }
        return new Result(new RevocationList(out), null);
    }
}
