package io.jwtgate.jose;

import com.fasterxml.jackson.databind.JsonNode;
import io.jwtgate.jose.internal.Base64Url;
import io.jwtgate.jose.internal.Spki;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;

/**
 * Turns JWK members or SPKI bytes into a validated {@link Jwk}. Load time only: a rejected key is
 * reported with {@link Skip}, a stackless exception whose message becomes a warning. Messages never
 * contain key material.
 */
final class KeyBuilder {

    /** Minimum RSA modulus (docs/jwt.md#input-limits). */
    static final int MIN_RSA_BITS = 2048;

    /** Smallest HMAC secret that does not draw a warning when the key declares no alg. */
    private static final int MIN_SECRET_BYTES = 32;

    /** The key cannot be used; the message says why. */
    static final class Skip extends Exception {
        private static final long serialVersionUID = 1L;

        Skip(String message) {
            super(message, null, false, false);
        }
    }

    private KeyBuilder() {
    }

    /** Builds a key from one JWK object, appending weak-key notices to {@code warnings}. */
    static Jwk fromJwk(JsonNode jwk, CryptoProvider crypto, List<String> warnings, String label) throws Skip {
        if (!jwk.isObject()) {
            throw new Skip("not a JSON object");
        }
        String kty = optString(jwk, "kty");
        if (kty == null) {
            throw new Skip("missing kty");
        }
        String kid = optString(jwk, "kid");
        String use = optString(jwk, "use");
        if (use != null && !use.equals("sig")) {
            throw new Skip("use is \"" + printable(use) + "\", not sig");
        }
        JsonNode ops = jwk.get("key_ops");
        if (ops != null) {
            if (!ops.isArray()) {
                throw new Skip("key_ops is not an array");
            }
            boolean verify = false;
            for (JsonNode op : ops) {
                verify |= op.isTextual() && op.textValue().equals("verify");
            }
            if (!verify) {
                throw new Skip("key_ops does not include verify");
            }
        }
        String algName = optString(jwk, "alg");
        Algorithm alg = null;
        if (algName != null) {
            alg = Algorithm.forName(algName);
            if (alg == null) {
                throw new Skip("unsupported alg \"" + printable(algName) + "\"");
            }
        }
        Jwk key;
        switch (kty) {
            case "RSA":
                key = rsa(kid, alg, use, bigInt(jwk, "n"), bigInt(jwk, "e"), crypto);
                break;
            case "EC": {
                Curve c = curve(jwk, KeyType.EC);
                byte[] x = exact(jwk, "x", c.fieldBytes());
                byte[] y = exact(jwk, "y", c.fieldBytes());
                key = ec(kid, alg, use, c, new BigInteger(1, x), new BigInteger(1, y), crypto);
                break;
            }
            case "OKP": {
                Curve c = curve(jwk, KeyType.OKP);
                key = okp(kid, alg, use, c, exact(jwk, "x", c.fieldBytes()), crypto);
                break;
            }
            case "oct":
                key = secret(kid, alg, use, bytes(jwk, "k"), crypto, warnings, label);
                break;
            default:
                throw new Skip("unsupported kty \"" + printable(kty) + "\"");
        }
        return key;
    }

    /** Builds a key from a DER SubjectPublicKeyInfo (RSA, EC, Ed25519, Ed448). */
    static Jwk fromSpki(byte[] der, String kid, CryptoProvider crypto) throws Skip {
        Spki spki = Spki.parse(der);
        if (spki == null) {
            throw new Skip("not a DER SubjectPublicKeyInfo");
        }
        try {
            if (spki.isAlgorithm(Spki.OID_RSA)) {
                PublicKey pk = crypto.rsaPublicKey(der);
                RSAPublicKey rk = (RSAPublicKey) pk;
                checkRsa(rk.getModulus(), rk.getPublicExponent());
                return new Jwk(kid, KeyType.RSA, null, null, null, pk, rk.getModulus().bitLength());
            }
            if (spki.isAlgorithm(Spki.OID_EC)) {
                byte[] param = spki.parameter();
                Curve c = param == null ? null : Curve.forOid(param);
                if (c == null) {
                    throw new Skip("unsupported EC curve");
                }
                byte[] point = spki.key();
                int fb = c.fieldBytes();
                if (point.length != 1 + 2 * fb || point[0] != 0x04) {
                    throw new Skip("EC point is not uncompressed");
                }
                BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + fb));
                BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 1 + fb, point.length));
                return ec(kid, null, null, c, x, y, crypto);
            }
            if (spki.isAlgorithm(Spki.OID_ED25519) || spki.isAlgorithm(Spki.OID_ED448)) {
                Curve c = spki.isAlgorithm(Spki.OID_ED25519) ? Curve.ED25519 : Curve.ED448;
                if (spki.parameter() != null) {
                    throw new Skip("unexpected EdDSA parameters");
                }
                byte[] x = spki.key();
                if (x.length != c.fieldBytes()) {
                    throw new Skip("bad " + c.jwkName() + " key length");
                }
                return okp(kid, null, null, c, x, crypto);
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new Skip("unusable public key");
        }
        throw new Skip("unsupported public key algorithm");
    }

    /** An oct key; {@code label} names it in a warning ({@code null}: the caller says which secret it is). */
    static Jwk secret(String kid, Algorithm alg, String use, byte[] k, CryptoProvider crypto,
            List<String> warnings, String label) throws Skip {
        if (alg != null && alg.family() != Algorithm.Family.HMAC) {
            throw new Skip("alg " + alg.jwaName() + " does not fit an oct key");
        }
        if (k.length == 0) {
            throw new Skip("empty secret");
        }
        int min = alg == null ? MIN_SECRET_BYTES : alg.hashBytes();
        if (k.length < min) {
            warnings.add((label == null ? "" : label + ": ") + "HMAC secret of " + k.length + " bytes is shorter than "
                    + (alg == null ? "the HS256 hash output" : "the " + alg.jwaName() + " hash output")
                    + " (" + min + " bytes)");
        }
        return new Jwk(kid, KeyType.OCT, null, alg, use, crypto.hmacKey(k), 0);
    }

    private static Jwk rsa(String kid, Algorithm alg, String use, BigInteger n, BigInteger e,
            CryptoProvider crypto) throws Skip {
        checkAlg(alg, KeyType.RSA, null);
        checkRsa(n, e);
        try {
            return new Jwk(kid, KeyType.RSA, null, alg, use, crypto.rsaPublicKey(n, e), n.bitLength());
        } catch (GeneralSecurityException ex) {
            throw new Skip("unusable RSA key");
        }
    }

    private static void checkRsa(BigInteger n, BigInteger e) throws Skip {
        if (n.bitLength() < MIN_RSA_BITS) {
            throw new Skip("RSA modulus of " + n.bitLength() + " bits is below " + MIN_RSA_BITS);
        }
        if (!n.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || !e.testBit(0) || e.compareTo(n) >= 0) {
            throw new Skip("invalid RSA parameters");
        }
    }

    private static Jwk ec(String kid, Algorithm alg, String use, Curve c, BigInteger x, BigInteger y,
            CryptoProvider crypto) throws Skip {
        checkAlg(alg, KeyType.EC, c);
        if (!c.isOnCurve(x, y)) {
            throw new Skip("EC point is not on " + c.jwkName());
        }
        try {
            return new Jwk(kid, KeyType.EC, c, alg, use, crypto.ecPublicKey(c, x, y), 0);
        } catch (GeneralSecurityException | RuntimeException ex) {
            throw new Skip("unusable EC key");
        }
    }

    private static Jwk okp(String kid, Algorithm alg, String use, Curve c, byte[] x, CryptoProvider crypto)
            throws Skip {
        checkAlg(alg, KeyType.OKP, c);
        try {
            return new Jwk(kid, KeyType.OKP, c, alg, use, crypto.okpPublicKey(c, x), 0);
        } catch (GeneralSecurityException | RuntimeException ex) {
            throw new Skip("unusable " + c.jwkName() + " key");
        }
    }

    /** A declared alg must fit the key, or the key could never be used: skip it loudly. */
    private static void checkAlg(Algorithm alg, KeyType type, Curve c) throws Skip {
        if (alg != null && !alg.acceptsKey(type, c)) {
            throw new Skip("alg " + alg.jwaName() + " does not fit a " + type.jwkName()
                    + (c == null ? "" : " " + c.jwkName()) + " key");
        }
    }

    private static Curve curve(JsonNode jwk, KeyType type) throws Skip {
        String crv = optString(jwk, "crv");
        if (crv == null) {
            throw new Skip("missing crv");
        }
        Curve c = Curve.forJwkName(crv);
        if (c == null || c.keyType() != type) {
            throw new Skip("unsupported crv \"" + printable(crv) + "\" for kty " + type.jwkName());
        }
        return c;
    }

    private static String optString(JsonNode o, String name) throws Skip {
        JsonNode n = o.get(name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw new Skip(name + " is not a string");
        }
        return n.textValue();
    }

    private static byte[] bytes(JsonNode o, String name) throws Skip {
        String s = optString(o, name);
        if (s == null) {
            throw new Skip("missing " + name);
        }
        byte[] b = Base64Url.decode(s);
        if (b == null) {
            throw new Skip(name + " is not base64url");
        }
        return b;
    }

    private static byte[] exact(JsonNode o, String name, int len) throws Skip {
        byte[] b = bytes(o, name);
        if (b.length != len) {
            throw new Skip(name + " must be " + len + " bytes");
        }
        return b;
    }

    private static BigInteger bigInt(JsonNode o, String name) throws Skip {
        byte[] b = bytes(o, name);
        if (b.length == 0) {
            throw new Skip(name + " is empty");
        }
        return new BigInteger(1, b);
    }

    /** Makes an untrusted identifier safe and short for a log line. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 64; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        if (s.length() > 64) {
            sb.append("...");
        }
        return sb.toString();
    }
}
