package io.jwtgate.jose;

import java.security.Key;

/**
 * One verification key, ready to use: its JCA key object was built once, at load time, through the
 * {@link CryptoProvider} that will verify with it. Immutable.
 */
public final class Jwk {

    private final String kid;
    private final KeyType type;
    private final Curve curve;
    private final Algorithm algorithm;
    private final String use;
    private final Key key;
    private final int rsaModulusBits;

    Jwk(String kid, KeyType type, Curve curve, Algorithm algorithm, String use, Key key, int rsaModulusBits) {
        this.kid = kid;
        this.type = type;
        this.curve = curve;
        this.algorithm = algorithm;
        this.use = use;
        this.key = key;
        this.rsaModulusBits = rsaModulusBits;
    }

    /** The key id, compared byte for byte with a token's {@code kid}; {@code null} if unlabelled. */
    public String kid() {
        return kid;
    }

    /** The key type. */
    public KeyType type() {
        return type;
    }

    /** The curve for EC and OKP keys, {@code null} for RSA and oct. */
    public Curve curve() {
        return curve;
    }

    /** The declared {@code alg}, or {@code null}: a key that declares one verifies only that alg. */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** The declared {@code use} ({@code sig} when present), or {@code null}. */
    public String use() {
        return use;
    }

    /** The JCA key ({@code PublicKey}, or a {@code SecretKey} for oct). */
    public Key key() {
        return key;
    }

    /** RSA modulus length in bits; 0 for other key types. */
    public int rsaModulusBits() {
        return rsaModulusBits;
    }

    /**
     * True if this key may verify {@code alg}: the type and curve match the algorithm family and a
     * declared {@code alg}, if any, is exactly {@code alg}.
     */
    public boolean fits(Algorithm alg) {
        return (algorithm == null || algorithm == alg) && alg.acceptsKey(type, curve);
    }

    /** A short label for logs, without key material, e.g. {@code RSA-2048 kid="k1"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.jwkName());
        if (curve != null) {
            sb.append(' ').append(curve.jwkName());
        }
        if (rsaModulusBits > 0) {
            sb.append('-').append(rsaModulusBits);
        }
        if (algorithm != null) {
            sb.append(" alg=").append(algorithm.jwaName());
        }
        if (kid != null) {
            sb.append(" kid=\"").append(KeyBuilder.printable(kid)).append('"');
        }
        return sb.toString();
    }
}
