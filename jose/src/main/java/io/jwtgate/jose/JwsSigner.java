package io.jwtgate.jose;

import io.jwtgate.jose.internal.Base64Url;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Creates compact JWS tokens, for operators testing their configuration ({@code jwtgate token sign}) and for the
 * demo. The gateway itself never signs; {@link SigningKey} reads and makes the keys. Uses the JDK providers (and Bouncy
 * Castle for ES256K), independently of the provider chosen for verification.
 */
public final class JwsSigner {

    private JwsSigner() {
    }

    /** An HMAC key from the UTF-8 bytes of a secret, as {@code jwt_secret} makes it. */
    public static Key secret(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HMAC");
    }

    /**
     * Signs {@code payloadJson} with {@code alg}; the header is {@code {"alg":...,"typ":"JWT"}} plus {@code kid}
     * when given.
     */
    public static String sign(Algorithm alg, Key key, String kid, String payloadJson)
            throws GeneralSecurityException {
        StringBuilder header = new StringBuilder("{\"alg\":\"").append(alg.jwaName()).append('"');
        header.append(",\"typ\":\"JWT\"");
        if (kid != null) {
            header.append(",\"kid\":").append(jsonString(kid));
        }
        header.append('}');
        String input = Base64Url.encode(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + Base64Url.encode(payloadJson.getBytes(StandardCharsets.UTF_8));
        byte[] data = input.getBytes(StandardCharsets.US_ASCII);
        return input + "." + Base64Url.encode(signature(alg, key, data));
    }

    private static byte[] signature(Algorithm alg, Key key, byte[] data) throws GeneralSecurityException {
        switch (alg.family()) {
            case HMAC: {
                Mac mac = Mac.getInstance(alg.jcaName());
                mac.init(new SecretKeySpec(key.getEncoded(), alg.jcaName()));
                return mac.doFinal(data);
            }
            case EDDSA: {
                String name = alg.jcaName();
                if (name == null) {
                    name = key instanceof EdECPrivateKey ek ? ek.getParams().getName() : "Ed25519";
                }
                Signature s = Signature.getInstance(name);
                s.initSign((PrivateKey) key);
                s.update(data);
                return s.sign();
            }
            default: {
                Signature s = alg == Algorithm.ES256K
                        ? Signature.getInstance(alg.jcaName(), CryptoProvider.bouncyCastle())
                        : Signature.getInstance(alg.jcaName());
                if (alg.jcaParams() != null) {
                    s.setParameter(alg.jcaParams());
                }
                s.initSign((PrivateKey) key);
                s.update(data);
                return s.sign();
            }
        }
    }

    /** A JSON string literal. */
    public static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
