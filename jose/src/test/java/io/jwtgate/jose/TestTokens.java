package io.jwtgate.jose;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jwtgate.jose.internal.Base64Url;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Independent token minting for tests: Nimbus JOSE+JWT signs HS/RS/PS/ES (ES256K through Bouncy
 * Castle); EdDSA tokens are signed with the JDK's own Ed25519/Ed448 engines because Nimbus needs
 * Tink for those. Keys are generated once per JVM.
 */
final class TestTokens {

    static final BouncyCastleProvider BC =
            new BouncyCastleProvider();

    /** One signing key per algorithm family member. */
    static final class Signer {
        final Algorithm alg;
        final String kid;
        final JWK jwk; // Nimbus JWK (for HS/RS/PS/ES)
        final KeyPair edPair; // for EdDSA
        final byte[] secret; // for HS

        Signer(Algorithm alg, String kid, JWK jwk, KeyPair edPair, byte[] secret) {
            this.alg = alg;
            this.kid = kid;
            this.jwk = jwk;
            this.edPair = edPair;
            this.secret = secret;
        }

        PublicKey publicKey() throws Exception {
            if (edPair != null) {
                return edPair.getPublic();
            }
            if (jwk instanceof RSAKey) {
                return ((RSAKey) jwk).toPublicKey();
            }
            return ((ECKey) jwk).toPublicKey();
        }

        /** Public JWK JSON (or the oct JWK with its secret). */
        String jwkJson() throws Exception {
            if (secret != null) {
                return jwk.toJSONString();
            }
            if (edPair != null) {
                Curve c = curveOf(alg);
                byte[] enc = edPair.getPublic().getEncoded();
                byte[] x = Arrays.copyOfRange(enc, enc.length - c.fieldBytes(), enc.length);
                return "{\"kty\":\"OKP\",\"crv\":\"" + c.jwkName() + "\",\"kid\":\"" + kid + "\",\"x\":\""
                        + Base64Url.encode(x) + "\"}";
            }
            return jwk.toPublicJWK().toJSONString();
        }

        String jwks() throws Exception {
            return "{\"keys\":[" + jwkJson() + "]}";
        }

        String pem() throws Exception {
            return TestTokens.pem(publicKey());
        }

        /** Signs header+claims; kid included when {@code withKid}. */
        String sign(String claimsJson, boolean withKid) throws Exception {
            if (edPair != null) {
                String header =
                        "{\"alg\":\"" + alg.jwaName() + "\"" + (withKid ? ",\"kid\":\"" + kid + "\"" : "") + "}";
                String input = b64(header) + "." + b64(claimsJson);
                Signature s = Signature.getInstance(curveOf(alg).jwkName());
                s.initSign(edPair.getPrivate());
                s.update(input.getBytes(StandardCharsets.US_ASCII));
                return input + "." + Base64Url.encode(s.sign());
            }
            JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.parse(alg.jwaName())).type(JOSEObjectType.JWT);
            if (withKid) {
                h.keyID(kid);
            }
            SignedJWT jwt = new SignedJWT(h.build(), JWTClaimsSet.parse(claimsJson));
            JWSSigner signer;
            if (secret != null) {
                signer = new MACSigner(secret);
            } else if (jwk instanceof RSAKey) {
                signer = new RSASSASigner((RSAKey) jwk);
            } else {
                ECDSASigner es = new ECDSASigner((ECKey) jwk);
                if (alg == Algorithm.ES256K) {
                    es.getJCAContext().setProvider(BC);
                }
                signer = es;
            }
            jwt.sign(signer);
            return jwt.serialize();
        }
    }

    private static final Map<Algorithm, Signer> SIGNERS = new EnumMap<>(Algorithm.class);

    private TestTokens() {
    }

    static synchronized Signer signer(Algorithm alg) {
        return SIGNERS.computeIfAbsent(alg, TestTokens::create);
    }

    private static Signer create(Algorithm alg) {
        String kid = "kid-" + alg.jwaName();
        try {
            switch (alg.family()) {
                case HMAC: {
                    byte[] secret = new byte[alg.hashBytes()];
                    new SecureRandom().nextBytes(secret);
                    return new Signer(alg, kid, new OctetSequenceKey.Builder(secret).keyID(kid).build(), null, secret);
                }
                case RSA:
                case RSA_PSS:
                    return new Signer(alg, kid, new RSAKeyGenerator(2048).keyID(kid).generate(), null, null);
                case ECDSA: {
                    // SUPPRESS CHECKSTYLE InlineQualifiedName: Curve here is jwtgate's
                    com.nimbusds.jose.jwk.Curve c = com.nimbusds.jose.jwk.Curve.parse(alg.curve().jwkName());
                    ECKeyGenerator g = new ECKeyGenerator(c);
                    g.keyID(kid);
                    if (alg == Algorithm.ES256K) {
                        g.provider(BC);
                    }
                    return new Signer(alg, kid, g.generate(), null, null);
                }
                default: {
                    KeyPair kp = KeyPairGenerator.getInstance(curveOf(alg).jwkName()).generateKeyPair();
                    return new Signer(alg, kid, null, kp, null);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Curve curveOf(Algorithm alg) {
        return alg == Algorithm.ED448 ? Curve.ED448 : Curve.ED25519;
    }

    static String b64(String s) {
        return Base64Url.encode(s.getBytes(StandardCharsets.UTF_8));
    }

    static String pem(PublicKey k) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(k.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Algorithm> all() {
        return List.of(Algorithm.values());
    }

    static final String CLAIMS = "{\"sub\":\"alice\",\"iss\":\"https://idp\",\"exp\":4102444800}";
}
