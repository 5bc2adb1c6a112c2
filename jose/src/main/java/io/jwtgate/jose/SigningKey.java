package io.jwtgate.jose;

import io.jwtgate.jose.internal.Base64Url;
import io.jwtgate.jose.internal.Pem;
import io.jwtgate.jose.internal.Spki;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * An asymmetric key for the command line's key tools ({@code jwtgate token sign|keygen|jwks}, docs/cli.md): read
 * from the PEM forms openssl writes, or generated, and its public half as a JWK named by its thumbprint
 * (docs/jwt.md#standards). The gateway itself never reads private keys. DER is read with Bouncy Castle's ASN.1
 * classes (bcprov is a dependency already, for secp256k1); keys are built by the JDK's providers, by Bouncy Castle
 * for secp256k1.
 *
 * <p>PEM forms: {@code PRIVATE KEY} (PKCS#8: RSA, RSASSA-PSS, EC, Ed25519, Ed448), {@code RSA PRIVATE KEY}
 * (PKCS#1), {@code EC PRIVATE KEY} (SEC1, after an optional {@code EC PARAMETERS} block) and {@code PUBLIC KEY}
 * (SPKI). Other blocks, such as certificates, are passed over; encrypted keys are refused.
 */
public final class SigningKey {

    /** The key cannot be read or used; the message says why in one line and never holds key material. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static final ASN1ObjectIdentifier RSA = new ASN1ObjectIdentifier("1.2.840.113549.1.1.1");
    private static final ASN1ObjectIdentifier RSA_PSS = new ASN1ObjectIdentifier("1.2.840.113549.1.1.10");
    private static final ASN1ObjectIdentifier EC = new ASN1ObjectIdentifier("1.2.840.10045.2.1");
    private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    private static final ASN1ObjectIdentifier ED448 = new ASN1ObjectIdentifier("1.3.101.113");

    private static final String KEY_LABELS = "PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or PUBLIC KEY";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final KeyType type;
    private final Curve curve;
    private final boolean pssOnly;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey, KeyType type, Curve curve, boolean pssOnly) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.type = type;
        this.curve = curve;
        this.pssOnly = pssOnly;
    }

    /** Reads the one key of a PEM text, private or public. */
    public static SigningKey fromPem(String text) throws Invalid {
        if (text.contains("ENCRYPTED")) {
            throw new Invalid("encrypted private keys are not supported; write a plain copy with "
                    + "openssl pkey -in <file> -out <new file>");
        }
        List<Pem.Block> blocks;
        try {
            blocks = Pem.blocks(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
        Pem.Block key = null;
        byte[] ecParameters = null;
        List<String> others = new ArrayList<>();
        for (Pem.Block b : blocks) {
            switch (b.label()) {
                case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY" -> {
                    if (key != null) {
                        throw new Invalid("more than one key (" + key.label() + ", " + b.label() + ")");
                    }
                    key = b;
                }
                case "EC PARAMETERS" -> ecParameters = b.der();
                default -> others.add(Pem.shown(b.label()));
            }
        }
        if (key == null) {
            throw new Invalid(blocks.isEmpty() ? "not PEM (no -----BEGIN line)"
                    : "no key block (found " + String.join(", ", others.subList(0, Math.min(3, others.size())))
                            + (others.size() > 3 ? ", ..." : "") + "; expected " + KEY_LABELS + ")");
        }
        try {
            return switch (key.label()) {
                case "PUBLIC KEY" -> fromSpki(key.der());
                case "RSA PRIVATE KEY" -> fromPkcs8(new PrivateKeyInfo(new AlgorithmIdentifier(RSA, DERNull.INSTANCE),
                        RSAPrivateKey.getInstance(key.der())));
                case "EC PRIVATE KEY" -> fromSec1(key.der(), ecParameters);
                default -> fromPkcs8(PrivateKeyInfo.getInstance(key.der()));
            };
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            // Bouncy Castle's ASN.1 classes report malformed input with unchecked exceptions
            throw new Invalid("malformed " + key.label());
        }
    }

    /** A new key pair for {@code alg} (RSA of {@code rsaBits} bits); HMAC secrets are not keys of this kind. */
    public static SigningKey generate(Algorithm alg, int rsaBits) throws GeneralSecurityException {
        KeyPair kp;
        Curve c = null;
        switch (alg.family()) {
            case RSA, RSA_PSS -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(rsaBits);
                kp = g.generateKeyPair();
            }
            case ECDSA -> {
                c = alg.curve();
                KeyPairGenerator g = c == Curve.SECP256K1
                        ? KeyPairGenerator.getInstance("EC", CryptoProvider.bouncyCastle())
                        : KeyPairGenerator.getInstance("EC");
                g.initialize(c == Curve.SECP256K1 ? new ECGenParameterSpec("secp256k1") : c.ecSpec());
                kp = g.generateKeyPair();
            }
            case EDDSA -> {
                c = alg.curve() == null ? Curve.ED25519 : alg.curve();
                kp = KeyPairGenerator.getInstance(c.jwkName()).generateKeyPair();
            }
            default -> throw new IllegalArgumentException(alg.jwaName() + " uses a secret, not a key pair");
        }
        return new SigningKey(kp.getPrivate(), kp.getPublic(), alg.family().keyType(), c, false);
    }

    private static SigningKey fromSec1(byte[] der, byte[] ecParameters) throws GeneralSecurityException,
            IOException, Invalid {
        ECPrivateKey sec1 = ECPrivateKey.getInstance(der);
        ASN1Encodable params = sec1.getParametersObject();
        if (params == null && ecParameters != null) {
            params = ASN1Primitive.fromByteArray(ecParameters);
        }
        if (params == null) {
            throw new Invalid("EC PRIVATE KEY names no curve");
        }
        return fromPkcs8(new PrivateKeyInfo(new AlgorithmIdentifier(EC, params), sec1));
    }

    private static SigningKey fromPkcs8(PrivateKeyInfo info) throws GeneralSecurityException, IOException,
            Invalid {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(info.getEncoded());
        CryptoProvider jdk = CryptoProvider.jdk();
        if (oid.equals(RSA) || oid.equals(RSA_PSS)) {
            PrivateKey k = KeyFactory.getInstance(oid.equals(RSA) ? "RSA" : "RSASSA-PSS").generatePrivate(spec);
            if (!(k instanceof RSAPrivateCrtKey crt)) {
                throw new Invalid("RSA private key without its public exponent");
            }
            return new SigningKey(k, jdk.rsaPublicKey(crt.getModulus(), crt.getPublicExponent()), KeyType.RSA, null,
                    oid.equals(RSA_PSS));
        }
        if (oid.equals(EC)) {
            Curve c = namedCurve(info.getPrivateKeyAlgorithm().getParameters());
            PrivateKey k = keyFactory("EC", c).generatePrivate(spec);
            // SUPPRESS CHECKSTYLE InlineQualifiedName: the ECPrivateKey imported is Bouncy Castle's ASN.1 structure
            BigInteger d = ((java.security.interfaces.ECPrivateKey) k).getS();
            ECPoint q = ECNamedCurveTable.getByOID((ASN1ObjectIdentifier) info.getPrivateKeyAlgorithm().getParameters())
                    .getG().multiply(d).normalize();
            return new SigningKey(k, jdk.ecPublicKey(c, q.getAffineXCoord().toBigInteger(),
                    q.getAffineYCoord().toBigInteger()), KeyType.EC, c, false);
        }
        if (oid.equals(ED25519) || oid.equals(ED448)) {
            Curve c = oid.equals(ED25519) ? Curve.ED25519 : Curve.ED448;
            PrivateKey k = KeyFactory.getInstance(c.jwkName()).generatePrivate(spec);
            byte[] raw = ((EdECPrivateKey) k).getBytes().orElseThrow();
            byte[] x = c == Curve.ED25519 ? new Ed25519PrivateKeyParameters(raw, 0).generatePublicKey().getEncoded()
                    : new Ed448PrivateKeyParameters(raw, 0).generatePublicKey().getEncoded();
            return new SigningKey(k, jdk.okpPublicKey(c, x), KeyType.OKP, c, false);
        }
        throw new Invalid("unsupported key algorithm " + oid.getId());
    }

    private static SigningKey fromSpki(byte[] der) throws GeneralSecurityException, IOException, Invalid {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(der);
        ASN1ObjectIdentifier oid = spki.getAlgorithm().getAlgorithm();
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        if (oid.equals(RSA) || oid.equals(RSA_PSS)) {
            PublicKey k = KeyFactory.getInstance(oid.equals(RSA) ? "RSA" : "RSASSA-PSS").generatePublic(spec);
            return new SigningKey(null, k, KeyType.RSA, null, oid.equals(RSA_PSS));
        }
        if (oid.equals(EC)) {
            Curve c = namedCurve(spki.getAlgorithm().getParameters());
            return new SigningKey(null, keyFactory("EC", c).generatePublic(spec), KeyType.EC, c, false);
        }
        if (oid.equals(ED25519) || oid.equals(ED448)) {
            Curve c = oid.equals(ED25519) ? Curve.ED25519 : Curve.ED448;
            return new SigningKey(null, KeyFactory.getInstance(c.jwkName()).generatePublic(spec), KeyType.OKP, c,
                    false);
        }
        throw new Invalid("unsupported key algorithm " + oid.getId());
    }

    private static Curve namedCurve(ASN1Encodable params) throws Invalid, IOException {
        if (!(params instanceof ASN1ObjectIdentifier oid)) {
            throw new Invalid("EC key without a named curve (explicit curve parameters are not supported)");
        }
        byte[] tlv = oid.getEncoded();
        Curve c = Curve.forOid(Arrays.copyOfRange(tlv, 2, tlv.length));
        if (c == null) {
            throw new Invalid("unsupported EC curve " + oid.getId());
        }
        return c;
    }

    private static KeyFactory keyFactory(String name, Curve c) throws GeneralSecurityException {
        Provider p = c == Curve.SECP256K1 ? CryptoProvider.bouncyCastle() : null;
        return p == null ? KeyFactory.getInstance(name) : KeyFactory.getInstance(name, p);
    }

    /** The private key, or {@code null} when the PEM text held a public key only. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), as openssl genpkey writes it. */
    public String privateKeyPem() {
        return Pem.encode("PRIVATE KEY", privateKey.getEncoded());
    }

    /** RSA, EC or OKP. */
    public KeyType type() {
        return type;
    }

    /** The curve of an EC or OKP key; {@code null} for RSA. */
    public Curve curve() {
        return curve;
    }

    /** True if this key can sign and verify {@code alg}; an RSASSA-PSS key only the PS algorithms. */
    public boolean fits(Algorithm alg) {
        return alg.acceptsKey(type, curve) && (!pssOnly || alg.family() == Algorithm.Family.RSA_PSS);
    }

    /** The algorithm a JWK of this key names when none is asked for: RS256 (PS256), ES* by curve, or EdDSA. */
    public Algorithm defaultAlgorithm() {
        return switch (type) {
            case RSA -> pssOnly ? Algorithm.PS256 : Algorithm.RS256;
            case EC -> switch (curve) {
                case P_384 -> Algorithm.ES384;
                case P_521 -> Algorithm.ES512;
                case SECP256K1 -> Algorithm.ES256K;
                default -> Algorithm.ES256;
            };
            default -> Algorithm.EDDSA;
        };
    }

    /** The RSA modulus length in bits; 0 for other keys. */
    public int rsaBits() {
        return type == KeyType.RSA ? ((RSAPublicKey) publicKey).getModulus().bitLength() : 0;
    }

    /** What kind of key this is, for messages: {@code an RSA key (2048 bits)}, {@code an EC P-384 key}. */
    public String describe() {
        return switch (type) {
            case RSA -> (pssOnly ? "an RSASSA-PSS key (" : "an RSA key (") + rsaBits() + " bits)";
            case EC -> "an EC " + curve.jwkName() + " key";
            default -> "an " + curve.jwkName() + " key";
        };
    }

    /** The key an algorithm needs, for messages: {@code an EC P-256 key}, {@code an Ed25519 or Ed448 key}. */
    public static String needs(Algorithm alg) {
        return switch (alg.family()) {
            case HMAC -> "a secret";
            case RSA, RSA_PSS -> "an RSA key";
            case ECDSA -> "an EC " + alg.curve().jwkName() + " key";
            case EDDSA -> alg.curve() == null ? "an Ed25519 or Ed448 key" : "an " + alg.curve().jwkName() + " key";
        };
    }

    /**
     * The public JWK, members in this order: the key's own ({@code kty}, {@code crv}, {@code n}/{@code e} or
     * {@code x}/{@code y}), then {@code kid} ({@link #thumbprint()} when {@code kid} is null), {@code alg} and
     * {@code use: sig}. The caller checks that the key {@link #fits} {@code alg}.
     */
    public Map<String, String> publicJwk(Algorithm alg, String kid) {
        Map<String, String> jwk = keyMembers();
        jwk.put("kid", kid == null ? thumbprint() : kid);
        jwk.put("alg", alg.jwaName());
        jwk.put("use", "sig");
        return jwk;
    }

    /** The JWK thumbprint (SHA-256, base64url) of the public key (docs/jwt.md#standards). */
    public String thumbprint() {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> m : new TreeMap<>(keyMembers()).entrySet()) {
            json.append(json.length() == 1 ? "" : ",").append('"').append(m.getKey()).append("\":\"")
                    .append(m.getValue()).append('"');
        }
        try {
            return Base64Url.encode(MessageDigest.getInstance("SHA-256")
                    .digest(json.append('}').toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The members the thumbprint covers for the key type, which identify the key. */
    private Map<String, String> keyMembers() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kty", type.jwkName());
        switch (type) {
            case RSA -> {
                RSAPublicKey k = (RSAPublicKey) publicKey;
                m.put("n", Base64Url.encode(unsigned(k.getModulus())));
                m.put("e", Base64Url.encode(unsigned(k.getPublicExponent())));
            }
            case EC -> {
                ECPublicKey k = (ECPublicKey) publicKey;
                m.put("crv", curve.jwkName());
                m.put("x", Base64Url.encode(fixed(k.getW().getAffineX(), curve.fieldBytes())));
                m.put("y", Base64Url.encode(fixed(k.getW().getAffineY(), curve.fieldBytes())));
            }
            default -> {
                m.put("crv", curve.jwkName());
                m.put("x", Base64Url.encode(Spki.parse(publicKey.getEncoded()).key()));
            }
        }
        return m;
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static byte[] fixed(BigInteger v, int length) {
        byte[] b = unsigned(v);
        byte[] out = new byte[length];
        System.arraycopy(b, 0, out, length - b.length, b.length);
        return out;
    }
}
