package io.jwtgate.jose;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Chooses the JCA providers that build keys and verify signatures, and keeps per-thread
 * {@link Signature}/{@link Mac} instances so the event loops never allocate an engine per request.
 *
 * <p>{@link #preferred()} uses the Amazon Corretto Crypto Provider (ACCP) for every key type it
 * fully supports when it loads and is healthy, and the JDK providers otherwise. secp256k1
 * (ES256K) always goes through Bouncy Castle, which is loaded the first time such a key is built,
 * because JDK 17 no longer has that curve. {@link #describe()} says what was chosen, for the
 * start-up log and {@code -v}.
 *
 * <p>Keys are built once, at load time, through the same provider that later verifies with them,
 * so that no provider re-translates a foreign key on every call. Keys built by one
 * {@code CryptoProvider} should be verified by the same instance. Instances are immutable apart
 * from their thread-local engine caches and are safe to share between threads.
 */
public final class CryptoProvider {

    private static final String ACCP_NAME = "ACCP";
    private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    /** Provider per key kind; {@code null} means "JDK default lookup". */
    private final Provider rsa;
    private final Provider ec;
    private final Provider okp;
    private final Provider hmac;
    private final String description;

    /** Per-thread engines, indexed by {@link Algorithm#ordinal()}; EdDSA uses the curve's slot. */
    private final ThreadLocal<Object[]> engines =
            ThreadLocal.withInitial(() -> new Object[Algorithm.values().length]);

    private CryptoProvider(Provider rsa, Provider ec, Provider okp, Provider hmac, String description) {
        this.rsa = rsa;
        this.ec = ec;
        this.okp = okp;
        this.hmac = hmac;
        this.description = description;
    }

    /**
     * ACCP where it loads and supports the key type, JDK providers elsewhere. Decided once per process (loading ACCP
     * and its self-tests take 0.2-0.4 s; the capability probes a few ms more), so every caller gets the same answer.
     */
    public static CryptoProvider preferred() {
        return Preferred.INSTANCE;
    }

    /** Initialised on first use; a thread that asks while another initialises it waits for that answer. */
    private static final class Preferred {
        static final CryptoProvider INSTANCE = detect();
    }

    private static CryptoProvider detect() {
        String why;
        Provider accp = null;
        try {
            // Reflection, not a direct reference: ACCP is an optional dependency, and a direct
            // reference would fail bytecode verification of this class when the jar is absent.
            Class<?> c = Class.forName(ACCP_CLASS);
            Provider p = (Provider) c.getField("INSTANCE").get(null);
            Throwable err = (Throwable) c.getMethod("getLoadingError").invoke(p);
            if (err == null) {
                c.getMethod("assertHealthy").invoke(p);
                accp = p;
                why = null;
            } else {
                why = "ACCP failed to load: " + err.getClass().getSimpleName();
            }
        } catch (ClassNotFoundException e) {
            why = "ACCP not on the class path";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // A native library mismatch or an unhealthy provider: the JDK providers will do.
            why = "ACCP unavailable: " + e.getClass().getSimpleName();
        }
        return build(accp, why);
    }

    /** JDK providers only (plus Bouncy Castle for secp256k1). */
    public static CryptoProvider jdk() {
        return build(null, null);
    }

    private static CryptoProvider build(Provider accp, String note) {
        Provider rsa = accp != null && supportsRsa(accp) ? accp : null;
        Provider ec = accp != null && supportsEc(accp) ? accp : null;
        Provider okp = accp != null && supportsOkp(accp) ? accp : null;
        Provider hmac = accp != null && supportsHmac(accp) ? accp : null;
        List<String> a = new ArrayList<>();
        List<String> j = new ArrayList<>();
        (rsa != null ? a : j).add("RSA");
        (ec != null ? a : j).add("EC P-256/P-384/P-521");
        (okp != null ? a : j).add("Ed25519");
        j.add("Ed448");
        (hmac != null ? a : j).add("HMAC");
        StringBuilder sb = new StringBuilder();
        if (!a.isEmpty()) {
            sb.append(ACCP_NAME).append(' ').append(accp.getVersionStr()).append(" (")
                    .append(String.join(", ", a)).append("); ");
        }
        if (!j.isEmpty()) {
            sb.append("JDK (").append(String.join(", ", j)).append("); ");
        }
        sb.append("Bouncy Castle (secp256k1, loaded on first use)");
        if (note != null) {
            sb.append("; ").append(note);
        }
        return new CryptoProvider(rsa, ec, okp, hmac, sb.toString());
    }

    /** Which providers serve which key types, e.g. for the start-up log. */
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "CryptoProvider[" + description + "]";
    }

    // ---- capability probes (start-up only) ----

    private static boolean supportsRsa(Provider p) {
        try {
            KeyFactory.getInstance("RSA", p);
            for (Algorithm a : new Algorithm[] {Algorithm.RS256, Algorithm.RS384, Algorithm.RS512,
                    Algorithm.PS256, Algorithm.PS384, Algorithm.PS512}) {
                newSignature(a.jcaName(), a, p);
            }
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean supportsEc(Provider p) {
        try {
            KeyFactory kf = KeyFactory.getInstance("EC", p);
            for (Algorithm a : new Algorithm[] {Algorithm.ES256, Algorithm.ES384, Algorithm.ES512}) {
                newSignature(a.jcaName(), a, p);
                // The generator is a valid public point: proves the factory accepts the curve.
                kf.generatePublic(new ECPublicKeySpec(a.curve().ecSpec().getGenerator(), a.curve().ecSpec()));
            }
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Ed25519 signatures only: ACCP 2.5 has no Ed448 (which stays with the JDK, see {@link #providerFor}) and no
     * EdDSA KeyFactory (keys are built by the JDK's, which ACCP's Signature accepts).
     */
    private static boolean supportsOkp(Provider p) {
        try {
            Signature.getInstance("Ed25519", p);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean supportsHmac(Provider p) {
        try {
            for (Algorithm a : new Algorithm[] {Algorithm.HS256, Algorithm.HS384, Algorithm.HS512}) {
                Mac.getInstance(a.jcaName(), p);
            }
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    // ---- key construction (load time) ----

    PublicKey rsaPublicKey(BigInteger n, BigInteger e) throws GeneralSecurityException {
        return keyFactory("RSA", rsa).generatePublic(new RSAPublicKeySpec(n, e));
    }

    PublicKey rsaPublicKey(byte[] spki) throws GeneralSecurityException {
        return keyFactory("RSA", rsa).generatePublic(new X509EncodedKeySpec(spki));
    }

    PublicKey ecPublicKey(Curve curve, BigInteger x, BigInteger y) throws GeneralSecurityException {
        Provider p = curve == Curve.SECP256K1 ? BouncyCastle.PROVIDER : ec;
        return keyFactory("EC", p).generatePublic(new ECPublicKeySpec(new ECPoint(x, y), curve.ecSpec()));
    }

    /** Builds an Ed25519/Ed448 key from its raw JWK {@code x} by wrapping it in an SPKI. */
    PublicKey okpPublicKey(Curve curve, byte[] x) throws GeneralSecurityException {
        byte[] prefix = curve == Curve.ED25519
                ? new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00}
                : new byte[] {0x30, 0x43, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x03, 0x3a, 0x00};
        byte[] der = new byte[prefix.length + x.length];
        System.arraycopy(prefix, 0, der, 0, prefix.length);
        System.arraycopy(x, 0, der, prefix.length, x.length);
        return keyFactory(curve.jwkName(), null).generatePublic(new X509EncodedKeySpec(der));
    }

    SecretKey hmacKey(byte[] secret) {
        return new SecretKeySpec(secret, "HMAC");
    }

    private static KeyFactory keyFactory(String name, Provider p) throws GeneralSecurityException {
        return p == null ? KeyFactory.getInstance(name) : KeyFactory.getInstance(name, p);
    }

    // ---- verification (hot path) ----

    /**
     * Verifies {@code signature} over {@code input[off, off+len)} with one key. All cheap structural
     * checks (lengths, ECDSA R/S range) happen before the provider is called, so malformed
     * signatures cost no exception. Returns {@code false} on any failure.
     */
    boolean verify(Algorithm alg, Jwk key, byte[] input, int off, int len, byte[] signature) {
        try {
            switch (alg.family()) {
                case HMAC:
                    return verifyMac(alg, key.key(), input, off, len, signature);
                case RSA:
                case RSA_PSS:
                    if (signature.length != (key.rsaModulusBits() + 7) / 8) {
                        return false;
                    }
                    return verifySignature(alg, key.key(), input, off, len, signature);
                case ECDSA:
                    if (!EcdsaChecks.validRawSignature(key.curve(), signature)) {
                        return false;
                    }
                    return verifySignature(alg, key.key(), input, off, len, signature);
                case EDDSA: {
                    Curve c = key.curve();
                    if (signature.length != (c == Curve.ED25519 ? 64 : 114)) {
                        return false;
                    }
                    Algorithm engine = c == Curve.ED25519 ? Algorithm.ED25519 : Algorithm.ED448;
                    return verifySignature(engine, key.key(), input, off, len, signature);
                }
                default:
                    return false;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // A provider may still refuse an odd signature; that is a failed verification, not a bug
            // to propagate into the event loop.
            return false;
        }
    }

    private boolean verifyMac(Algorithm alg, Key key, byte[] in, int off, int len, byte[] sig)
            throws GeneralSecurityException {
        if (sig.length != alg.hashBytes()) {
            return false;
        }
        Object[] slots = engines.get();
        Mac mac = (Mac) slots[alg.ordinal()];
        if (mac == null) {
            mac = hmac == null ? Mac.getInstance(alg.jcaName()) : Mac.getInstance(alg.jcaName(), hmac);
            slots[alg.ordinal()] = mac;
        }
        mac.init(key);
        mac.update(in, off, len);
        byte[] expected = mac.doFinal();
        return MessageDigest.isEqual(expected, sig); // constant time
    }

    private boolean verifySignature(Algorithm engine, Key key, byte[] in, int off, int len, byte[] sig)
            throws GeneralSecurityException {
        Object[] slots = engines.get();
        Signature s = (Signature) slots[engine.ordinal()];
        if (s == null) {
            s = newSignature(engine.jcaName(), engine, providerFor(engine));
            slots[engine.ordinal()] = s;
        }
        try {
            s.initVerify((PublicKey) key);
        } catch (InvalidKeyException e) {
            return false;
        }
        s.update(in, off, len);
        return s.verify(sig);
    }

    private Provider providerFor(Algorithm a) {
        switch (a.family()) {
            case RSA:
            case RSA_PSS:
                return rsa;
            case ECDSA:
                return a == Algorithm.ES256K ? BouncyCastle.PROVIDER : ec;
            case EDDSA:
                return a == Algorithm.ED448 ? null : okp;
            default:
                return hmac;
        }
    }

    private static Signature newSignature(String name, Algorithm a, Provider p) throws GeneralSecurityException {
        Signature s = p == null ? Signature.getInstance(name) : Signature.getInstance(name, p);
        if (a.jcaParams() != null) {
            s.setParameter(a.jcaParams());
        }
        return s;
    }

    /** Bouncy Castle, loaded on first use: the one provider of secp256k1. */
    static Provider bouncyCastle() {
        return BouncyCastle.PROVIDER;
    }

    /** Lazy holder: Bouncy Castle is loaded only when a secp256k1 key is first built. */
    private static final class BouncyCastle {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
