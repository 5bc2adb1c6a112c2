package io.jwtgate.jose;

import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * The one registry of JWS algorithms (docs/jwt.md#validation-order, step 3). Each constant says
 * which family verifies it, which key type and curve it binds to and how long its signature is;
 * verification code is written once per family, never per algorithm. Names are case-sensitive and
 * {@code none} is deliberately absent: it never verifies.
 */
public enum Algorithm {
    HS256("HS256", Family.HMAC, 32, null, "HmacSHA256", null),
    HS384("HS384", Family.HMAC, 48, null, "HmacSHA384", null),
    HS512("HS512", Family.HMAC, 64, null, "HmacSHA512", null),
    RS256("RS256", Family.RSA, 32, null, "SHA256withRSA", null),
    RS384("RS384", Family.RSA, 48, null, "SHA384withRSA", null),
    RS512("RS512", Family.RSA, 64, null, "SHA512withRSA", null),
    PS256("PS256", Family.RSA_PSS, 32, null, "RSASSA-PSS", pss("SHA-256", MGF1ParameterSpec.SHA256, 32)),
    PS384("PS384", Family.RSA_PSS, 48, null, "RSASSA-PSS", pss("SHA-384", MGF1ParameterSpec.SHA384, 48)),
    PS512("PS512", Family.RSA_PSS, 64, null, "RSASSA-PSS", pss("SHA-512", MGF1ParameterSpec.SHA512, 64)),
    ES256("ES256", Family.ECDSA, 32, Curve.P_256, "SHA256withECDSAinP1363Format", null),
    ES384("ES384", Family.ECDSA, 48, Curve.P_384, "SHA384withECDSAinP1363Format", null),
    ES512("ES512", Family.ECDSA, 64, Curve.P_521, "SHA512withECDSAinP1363Format", null),
    /** ECDSA on secp256k1; Bouncy Castle names the raw-signature variant {@code PLAIN-ECDSA}. */
    ES256K("ES256K", Family.ECDSA, 32, Curve.SECP256K1, "SHA256withPLAIN-ECDSA", null),
    /** EdDSA with either Edwards curve; the key's curve decides. */
    EDDSA("EdDSA", Family.EDDSA, 0, null, null, null),
    /** Fully specified EdDSA on Ed25519 only. */
    ED25519("Ed25519", Family.EDDSA, 0, Curve.ED25519, "Ed25519", null),
    /** Fully specified EdDSA on Ed448 only. */
    ED448("Ed448", Family.EDDSA, 0, Curve.ED448, "Ed448", null);

    /** How an algorithm verifies; one implementation per family. */
    public enum Family {
        /** HMAC with a shared secret (oct keys). */
        HMAC(KeyType.OCT),
        /** RSASSA-PKCS1-v1_5. */
        RSA(KeyType.RSA),
        /** RSASSA-PSS with MGF1 and salt length equal to the hash length. */
        RSA_PSS(KeyType.RSA),
        /** ECDSA with raw R||S signatures. */
        ECDSA(KeyType.EC),
        /** EdDSA (pure). */
        EDDSA(KeyType.OKP);

        private final KeyType keyType;

        Family(KeyType keyType) {
            this.keyType = keyType;
        }

        /** The key type this family requires. */
        public KeyType keyType() {
            return keyType;
        }
    }

    private final String jwaName;
    private final Family family;
    private final int hashBytes;
    private final Curve curve;
    private final String jcaName;
    private final AlgorithmParameterSpec jcaParams;

    Algorithm(String jwaName, Family family, int hashBytes, Curve curve, String jcaName,
            AlgorithmParameterSpec jcaParams) {
        this.jwaName = jwaName;
        this.family = family;
        this.hashBytes = hashBytes;
        this.curve = curve;
        this.jcaName = jcaName;
        this.jcaParams = jcaParams;
    }

    /** The {@code alg} value as written in a JOSE header or JWK. */
    public String jwaName() {
        return jwaName;
    }

    /** The verification family. */
    public Family family() {
        return family;
    }

    /** Digest length in bytes (the exact HMAC signature length); 0 for EdDSA. */
    public int hashBytes() {
        return hashBytes;
    }

    /** The curve this algorithm is bound to; {@code null} for non-curve algorithms and for EdDSA. */
    public Curve curve() {
        return curve;
    }

    /** JCA Mac/Signature name; {@code null} for EdDSA, whose engine is the key's curve. */
    String jcaName() {
        return jcaName;
    }

    /** JCA parameters to set on the engine (PSS), or {@code null}. */
    AlgorithmParameterSpec jcaParams() {
        return jcaParams;
    }

    /**
     * True if a key of this type and curve may verify this algorithm: oct for HS*, RSA for RS* and
     * PS*, EC on exactly the bound curve for ES*, and OKP for EdDSA (either curve) or the curve named
     * by {@code Ed25519}/{@code Ed448}. A JWK's declared {@code alg} is checked separately.
     */
    public boolean acceptsKey(KeyType type, Curve keyCurve) {
        if (type != family.keyType) {
            return false;
        }
        switch (family) {
            case ECDSA:
                return keyCurve == curve;
            case EDDSA:
                return curve == null ? keyCurve == Curve.ED25519 || keyCurve == Curve.ED448 : keyCurve == curve;
            default:
                return true;
        }
    }

    /**
     * Looks an {@code alg} name up, case-sensitively.
     *
     * @return the algorithm, or {@code null} for {@code none}, unknown and differently-cased names
     */
    public static Algorithm forName(String name) {
        if (name == null) {
            return null;
        }
        switch (name) {
            case "HS256": return HS256;
            case "HS384": return HS384;
            case "HS512": return HS512;
            case "RS256": return RS256;
            case "RS384": return RS384;
            case "RS512": return RS512;
            case "PS256": return PS256;
            case "PS384": return PS384;
            case "PS512": return PS512;
            case "ES256": return ES256;
            case "ES384": return ES384;
            case "ES512": return ES512;
            case "ES256K": return ES256K;
            case "EdDSA": return EDDSA;
            case "Ed25519": return ED25519;
            case "Ed448": return ED448;
            default: return null;
        }
    }

    private static PSSParameterSpec pss(String hash, MGF1ParameterSpec mgf, int salt) {
        return new PSSParameterSpec(hash, "MGF1", mgf, salt, PSSParameterSpec.TRAILER_FIELD_BC);
    }
}
