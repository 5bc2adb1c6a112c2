package io.jwtgate.jose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * A decoded compact JWS whose structure passed every input limit; its signature is not yet checked.
 * The JSON trees must be treated as read-only: they are shared with whoever holds this value.
 */
public final class Jws {

    private final byte[] ascii;
    private final int signingInputLength;
    private final ObjectNode header;
    private final ObjectNode payload;
    private final String alg;
    private final Algorithm algorithm;
    private final String kid;
    private final byte[] signature;

    Jws(byte[] ascii, int signingInputLength, ObjectNode header, ObjectNode payload, String alg, String kid,
            byte[] signature) {
        this.ascii = ascii;
        this.signingInputLength = signingInputLength;
        this.header = header;
        this.payload = payload;
        this.alg = alg;
        this.algorithm = Algorithm.forName(alg);
        this.kid = kid;
        this.signature = signature;
    }

    /** The JOSE header. */
    public ObjectNode header() {
        return header;
    }

    /** The payload (JWT claims set). */
    public ObjectNode payload() {
        return payload;
    }

    /** The {@code alg} header exactly as written (may be {@code none} or unknown). */
    public String alg() {
        return alg;
    }

    /** The supported algorithm named by {@code alg}, or {@code null} for {@code none}/unknown. */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** The {@code kid} header, or {@code null} when absent. */
    public String kid() {
        return kid;
    }

    /** A copy of the decoded signature (empty only for {@code alg: none}). */
    public byte[] signature() {
        return signature.clone();
    }

    /** A copy of the JWS signing input: the ASCII bytes of {@code header.payload}. */
    public byte[] signingInput() {
        return Arrays.copyOf(ascii, signingInputLength);
    }

    /** Signing input without copying: bytes {@code [0, signingInputLength())} of this array. */
    byte[] signingInputBuffer() {
        return ascii;
    }

    /** Length of the signing input within {@link #signingInputBuffer()}. */
    public int signingInputLength() {
        return signingInputLength;
    }

    /** Signature without copying, for the verifier. */
    byte[] signatureBuffer() {
        return signature;
    }

    @Override
    public String toString() {
        // Never the token or claims: this may end up in a log line.
        return "Jws[alg=" + KeyBuilder.printable(alg) + (kid == null ? "" : ", kid=" + KeyBuilder.printable(kid)) + "]";
    }
}
