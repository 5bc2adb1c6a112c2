package io.jwtgate.bench;

import io.jwtgate.jose.Algorithm;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.JwsSigner;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.KeySetParser;
import io.jwtgate.jose.KeySetResult;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Keys and tokens for the benchmarks, one pair per algorithm, made with the JDK. */
public final class TokenFixtures {

    private static final String SECRET = "a-benchmark-secret-of-32-bytes!!";

    public final KeySet keys;
    /** The keys as a configuration gives them: the HMAC secret, or the public key as PEM. */
    public final String keyText;
    public final String token;

    private TokenFixtures(KeySet keys, String keyText, String token) {
        this.keys = keys;
        this.keyText = keyText;
        this.token = token;
    }

    public static TokenFixtures create(Algorithm alg, CryptoProvider crypto, String payload) throws Exception {
        if (alg.family() == Algorithm.Family.HMAC) {
            return new TokenFixtures(check(KeySetParser.secret(SECRET, crypto)), SECRET,
                    JwsSigner.sign(alg, JwsSigner.secret(SECRET), null, payload));
        }
        KeyPair kp = keyPair(alg);
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(kp.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        KeySet keys = check(KeySetParser.pem(pem.getBytes(StandardCharsets.US_ASCII), crypto));
        return new TokenFixtures(keys, pem, JwsSigner.sign(alg, kp.getPrivate(), null, payload));
    }

    private static KeySet check(KeySetResult r) {
        if (!r.isOk()) {
            throw new IllegalStateException(r.error());
        }
        return r.keySet();
    }

    private static KeyPair keyPair(Algorithm alg) throws Exception {
        KeyPairGenerator g;
        switch (alg.family()) {
            case RSA:
            case RSA_PSS:
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                break;
            case ECDSA:
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(switch (alg) {
                    case ES384 -> "secp384r1";
                    case ES512 -> "secp521r1";
                    default -> "secp256r1";
                }));
                break;
            default:
                g = KeyPairGenerator.getInstance("Ed25519");
        }
        return g.generateKeyPair();
    }
}
