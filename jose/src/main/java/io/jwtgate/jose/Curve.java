package io.jwtgate.jose;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.util.Arrays;

/**
 * Curves usable for signature keys: the short-Weierstrass curves for ECDSA and the Edwards
 * curves for EdDSA. Each EC constant carries its domain parameters, used to check at key load that
 * a point lies on the curve and, per signature, that R and S lie in [1, n-1].
 */
public enum Curve {
    /** NIST P-256 (secp256r1), for ES256. */
    P_256("P-256", KeyType.EC, 32, "secp256r1",
            new byte[] {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07}),
    /** NIST P-384 (secp384r1), for ES384. */
    P_384("P-384", KeyType.EC, 48, "secp384r1", new byte[] {0x2B, (byte) 0x81, 0x04, 0x00, 0x22}),
    /** NIST P-521 (secp521r1), for ES512. */
    P_521("P-521", KeyType.EC, 66, "secp521r1", new byte[] {0x2B, (byte) 0x81, 0x04, 0x00, 0x23}),
    /** secp256k1, for ES256K. Not in JDK 17; verified through Bouncy Castle. */
    SECP256K1("secp256k1", KeyType.EC, 32, null, new byte[] {0x2B, (byte) 0x81, 0x04, 0x00, 0x0A}),
    /** Ed25519, for EdDSA and Ed25519. */
    ED25519("Ed25519", KeyType.OKP, 32, null, null),
    /** Ed448, for EdDSA and Ed448. */
    ED448("Ed448", KeyType.OKP, 57, null, null);

    private final String jwkName;
    private final KeyType keyType;
    private final int fieldBytes;
    private final byte[] oid;
    private final ECParameterSpec ecSpec;

    Curve(String jwkName, KeyType keyType, int fieldBytes, String jdkName, byte[] oid) {
        this.jwkName = jwkName;
        this.keyType = keyType;
        this.fieldBytes = fieldBytes;
        this.oid = oid;
        if (keyType != KeyType.EC) {
            this.ecSpec = null;
        } else if (jdkName != null) {
            this.ecSpec = jdkSpec(jdkName);
        } else {
            this.ecSpec = secp256k1();
        }
    }

    /** The {@code crv} value as written in a JWK. */
    public String jwkName() {
        return jwkName;
    }

    /** EC for Weierstrass curves, OKP for Edwards curves. */
    public KeyType keyType() {
        return keyType;
    }

    /**
     * Size in bytes of a field element (EC) or of the public key (OKP); an ECDSA signature on this
     * curve is exactly twice this long.
     */
    public int fieldBytes() {
        return fieldBytes;
    }

    /** JCA domain parameters; {@code null} for Edwards curves. */
    public ECParameterSpec ecSpec() {
        return ecSpec;
    }

    /** Group order n; {@code null} for Edwards curves. */
    public BigInteger order() {
        return ecSpec == null ? null : ecSpec.getOrder();
    }

    /** Looks a JWK {@code crv} up, case-sensitively; {@code null} if unknown. */
    public static Curve forJwkName(String name) {
        for (Curve c : values()) {
            if (c.jwkName.equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Looks a named-curve OID (DER content bytes) up; {@code null} if unknown. */
    static Curve forOid(byte[] oid) {
        for (Curve c : values()) {
            if (c.oid != null && Arrays.equals(c.oid, oid)) {
                return c;
            }
        }
        return null;
    }

    /** True if (x, y) satisfies y^2 = x^3 + ax + b (mod p) with 0 <= x, y < p. */
    boolean isOnCurve(BigInteger x, BigInteger y) {
        if (ecSpec == null) {
            return false;
        }
        EllipticCurve ec = ecSpec.getCurve();
        BigInteger p = ((ECFieldFp) ec.getField()).getP();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger lhs = y.multiply(y).mod(p);
        BigInteger rhs = x.multiply(x).multiply(x).add(ec.getA().multiply(x)).add(ec.getB()).mod(p);
        return lhs.equals(rhs);
    }

    private static ECParameterSpec jdkSpec(String name) {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(name));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks curve " + name, e);
        }
    }

    /** SEC 2 v2, section 2.4.1: the JDK 17 providers no longer know this curve. */
    private static ECParameterSpec secp256k1() {
        BigInteger p = hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F");
        EllipticCurve curve = new EllipticCurve(new ECFieldFp(p), BigInteger.ZERO, BigInteger.valueOf(7));
        ECPoint g = new ECPoint(
                hex("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"),
                hex("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8"));
        BigInteger n = hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
        return new ECParameterSpec(curve, g, n, 1);
    }

    private static BigInteger hex(String s) {
        return new BigInteger(s, 16);
    }
}
