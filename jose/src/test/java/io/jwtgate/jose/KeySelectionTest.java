package io.jwtgate.jose;

import static io.jwtgate.jose.TestTokens.CLAIMS;
import static io.jwtgate.jose.TestTokens.b64;
import static io.jwtgate.jose.TestTokens.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jwtgate.jose.internal.Base64Url;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kid selection, algorithm binding and algorithm-confusion defences (docs/jwt.md#validation-order, step 3). */
class KeySelectionTest {

    private static final CryptoProvider CRYPTO = CryptoProvider.preferred();
    private static final SignatureVerifier V = SignatureVerifier.create(CRYPTO);

    private static Jws jws(String token) {
        JwsResult r = JwsParser.create().parse(token);
        assertThat(r.isOk()).as(r.toString()).isTrue();
        return r.jws();
    }

    private static KeySet jwks(String json) {
        KeySetResult r = KeySetParser.jwks(utf8(json), CRYPTO);
        assertThat(r.isOk()).as(r.toString()).isTrue();
        return r.keySet();
    }

    private static String hs256(byte[] secret, String kid) throws Exception {
        JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.HS256);
        if (kid != null) {
            h.keyID(kid);
        }
        SignedJWT jwt = new SignedJWT(h.build(), JWTClaimsSet.parse(CLAIMS));
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String oct(byte[] secret, String kid, String alg) {
        return "{\"kty\":\"oct\",\"k\":\"" + Base64Url.encode(secret) + "\""
                + (kid == null ? "" : ",\"kid\":\"" + kid + "\"")
                + (alg == null ? "" : ",\"alg\":\"" + alg + "\"") + "}";
    }

    private static byte[] secret(int seed) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    @Test
    void unknownKidFallsBackToKidlessKeys() throws Exception {
        KeySet keys = jwks("{\"keys\":[" + oct(secret(1), "a", null) + "," + oct(secret(2), null, null) + "]}");
        assertThat(V.verify(jws(hs256(secret(2), "unknown")), keys)).isNull();
        assertThat(V.verify(jws(hs256(secret(3), "unknown")), keys)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void unknownKidWithoutKidlessKeysIsNoMatchingKey() throws Exception {
        KeySet keys = jwks("{\"keys\":[" + oct(secret(1), "a", null) + "]}");
        assertThat(V.verify(jws(hs256(secret(1), "b")), keys)).isEqualTo(Reason.NO_MATCHING_KEY);
    }

    @Test
    void labelledKeyThatFailsDoesNotFallBackToKidlessKey() throws Exception {
        KeySet labelled = jwks("{\"keys\":[" + oct(secret(1), "k", null) + "]}");
        KeySet kidless = jwks("{\"keys\":[" + oct(secret(2), null, null) + "]}");
        String token = hs256(secret(2), "k"); // the kid-less key would verify it
        assertThat(V.verify(jws(token), List.of(labelled, kidless))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(V.verify(jws(token), List.of(kidless))).isNull();
    }

    @Test
    void labelledKeyOfWrongAlgRejectsWithoutFallback() throws Exception {
        KeySet labelled = jwks("{\"keys\":[" + oct(secret(1), "k", "HS512") + "]}");
        KeySet kidless = jwks("{\"keys\":[" + oct(secret(2), null, null) + "]}");
        assertThat(V.verify(jws(hs256(secret(2), "k")), List.of(labelled, kidless))).isEqualTo(Reason.NO_MATCHING_KEY);
    }

    @Test
    void kidInAnySource() throws Exception {
        KeySet a = jwks("{\"keys\":[" + oct(secret(1), "a", null) + "]}");
        KeySet b = jwks("{\"keys\":[" + oct(secret(2), "b", null) + "]}");
        assertThat(V.verify(jws(hs256(secret(2), "b")), List.of(a, b))).isNull();
        // A token naming b is never verified by the key labelled a, even if that key matches.
        assertThat(V.verify(jws(hs256(secret(1), "b")), List.of(a, b))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void tokenWithoutKidTriesAllCompatibleKeys() throws Exception {
        KeySet keys = jwks("{\"keys\":[" + oct(secret(1), "a", null) + "," + oct(secret(2), "b", null) + "]}");
        assertThat(V.verify(jws(hs256(secret(2), null)), keys)).isNull();
    }

    @Test
    void jwkAlgMustEqualTokenAlg() throws Exception {
        KeySet keys = jwks("{\"keys\":[" + oct(secret(1), "a", "HS384") + "]}");
        assertThat(V.verify(jws(hs256(secret(1), "a")), keys)).isEqualTo(Reason.NO_MATCHING_KEY);
        assertThat(V.verify(jws(hs256(secret(1), null)), keys)).isEqualTo(Reason.NO_MATCHING_KEY);
    }

    @Test
    void atMostSixteenCandidates() throws Exception {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < 17; i++) {
            sb.append(oct(secret(i + 10), null, null)).append(',');
        }
        sb.append(oct(secret(99), null, null)).append("]}");
        KeySet keys = jwks(sb.toString());
        assertThat(V.verify(jws(hs256(secret(10 + 15), null)), keys)).isNull(); // 16th candidate
        assertThat(V.verify(jws(hs256(secret(10 + 16), null)), keys)).isEqualTo(Reason.BAD_SIGNATURE); // 17th
        assertThat(V.verify(jws(hs256(secret(99), null)), keys)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void noKeysAtAll() throws Exception {
        assertThat(V.verify(jws(hs256(secret(1), null)), List.of())).isEqualTo(Reason.NO_USABLE_KEY);
        assertThat(V.verify(jws(hs256(secret(1), null)), KeySet.empty())).isEqualTo(Reason.NO_USABLE_KEY);
    }

    @Test
    void algNoneNeverVerifies() throws Exception {
        KeySet keys = jwks("{\"keys\":[" + oct(secret(1), null, null) + "]}");
        String none = b64("{\"alg\":\"none\"}") + "." + b64(CLAIMS) + ".";
        assertThat(V.verify(jws(none), keys)).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void lowerCaseAndUnknownAlgRejected() throws Exception {
        KeySet keys = jwks("{\"keys\":[" + oct(secret(1), null, null) + "]}");
        String good = hs256(secret(1), null);
        String sig = good.substring(good.lastIndexOf('.'));
        for (String alg : new String[] {"hs256", "HS257", "RSA-OAEP", "", "ES256k", "eddsa"}) {
            String t = b64("{\"alg\":\"" + alg + "\"}") + "." + b64(CLAIMS) + sig;
            assertThat(V.verify(jws(t), keys)).as(alg).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
        }
    }

    @Test
    void hsTokenAgainstRsaAndEcKeysIsNoMatchingKey() throws Exception {
        TestTokens.Signer rsa = TestTokens.signer(Algorithm.RS256);
        TestTokens.Signer ec = TestTokens.signer(Algorithm.ES256);
        KeySet keys = jwks("{\"keys\":[" + rsa.jwkJson() + "," + ec.jwkJson() + "]}");
        // Classic confusion: the RSA public key's bytes (PEM text and DER) used as an HMAC secret.
        for (byte[] secret : new byte[][] {utf8(rsa.pem()), rsa.publicKey().getEncoded()}) {
            assertThat(V.verify(jws(hs256(secret, rsa.kid)), keys)).isEqualTo(Reason.NO_MATCHING_KEY);
            assertThat(V.verify(jws(hs256(secret, null)), keys)).isEqualTo(Reason.NO_MATCHING_KEY);
        }
        // Same through keyval and PEM sources: they never yield oct keys.
        KeySet pem = KeySetParser.pem(utf8(rsa.pem()), CRYPTO).keySet();
        assertThat(pem.keys()).allMatch(k -> k.type() == KeyType.RSA);
        assertThat(V.verify(jws(hs256(utf8(rsa.pem()), null)), pem)).isEqualTo(Reason.NO_MATCHING_KEY);
    }

    @Test
    void esTokenAgainstKeyOnOtherCurve() throws Exception {
        TestTokens.Signer p256 = TestTokens.signer(Algorithm.ES256);
        TestTokens.Signer p384 = TestTokens.signer(Algorithm.ES384);
        KeySet keys = jwks("{\"keys\":[" + p384.jwkJson() + "]}");
        assertThat(V.verify(jws(p256.sign(CLAIMS, false)), keys)).isEqualTo(Reason.NO_MATCHING_KEY);
    }

    @Test
    void rsTokenVerifiesWithPsKeyOnlyWhenAlgUndeclared() throws Exception {
        TestTokens.Signer rs = TestTokens.signer(Algorithm.RS256);
        String jwk = rs.jwkJson();
        String declaredPs = jwk.substring(0, jwk.length() - 1) + ",\"alg\":\"PS256\"}";
        assertThat(V.verify(jws(rs.sign(CLAIMS, true)), jwks("{\"keys\":[" + jwk + "]}"))).isNull();
        assertThat(V.verify(jws(rs.sign(CLAIMS, true)), jwks("{\"keys\":[" + declaredPs + "]}")))
                .isEqualTo(Reason.NO_MATCHING_KEY);
    }
}
