package io.jwtgate.jose;

import java.math.BigInteger;

/** Structural checks on raw ECDSA signatures, done before any provider sees them. */
final class EcdsaChecks {

    private EcdsaChecks() {
    }

    /**
     * True if {@code sig} is R||S of exactly twice the curve's field size and both R and S lie in
     * [1, n-1]. The range check defends against CVE-2022-21449 ("psychic signatures") whatever the
     * provider does; DER-encoded signatures fail the length check.
     */
    static boolean validRawSignature(Curve curve, byte[] sig) {
        int fb = curve.fieldBytes();
        if (sig.length != 2 * fb) {
            return false;
        }
        BigInteger n = curve.order();
        BigInteger r = new BigInteger(1, sig, 0, fb);
        BigInteger s = new BigInteger(1, sig, fb, fb);
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(n) < 0 && s.compareTo(n) < 0;
    }
}
