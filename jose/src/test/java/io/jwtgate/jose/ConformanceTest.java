package io.jwtgate.jose;

import static io.jwtgate.jose.TestTokens.CLAIMS;
import static io.jwtgate.jose.TestTokens.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.jwtgate.jose.internal.Base64Url;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tokens minted by an independent signer verify through our parser, key parsers and verifier. */
class ConformanceTest {

    static final CryptoProvider PREFERRED = CryptoProvider.preferred();
    static final CryptoProvider JDK = CryptoProvider.jdk();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Algorithm alg : Algorithm.values()) {
            if (alg == Algorithm.EDDSA) {
                continue; // covered by the EdDSA cases below with both curves
            }
            for (CryptoProvider c : List.of(PREFERRED, JDK)) {
                out.add(Arguments.of(alg, alg, c));
            }
        }
        // "EdDSA" tokens signed with either curve.
        for (CryptoProvider c : List.of(PREFERRED, JDK)) {
            out.add(Arguments.of(Algorithm.EDDSA, Algorithm.ED25519, c));
            out.add(Arguments.of(Algorithm.EDDSA, Algorithm.ED448, c));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} key of {1} via {2}")
    @MethodSource("cases")
    void jwksWithAndWithoutKid(Algorithm alg, Algorithm keyAlg, CryptoProvider crypto) throws Exception {
        TestTokens.Signer s = TestTokens.signer(keyAlg);
        KeySetResult keys = KeySetParser.jwks(utf8(s.jwks()), crypto);
        assertThat(keys.isOk()).as(keys.toString()).isTrue();
        SignatureVerifier v = SignatureVerifier.create(crypto);
        for (boolean withKid : new boolean[] {true, false}) {
            String token = sign(s, alg, withKid);
            JwsResult r = JwsParser.create().parse(token);
            assertThat(r.isOk()).as(r.toString()).isTrue();
            assertThat(r.jws().alg()).isEqualTo(alg.jwaName());
            assertThat(v.verify(r.jws(), keys.keySet())).isNull();
            // A flipped signature byte must fail.
            String bad = tamper(token);
            JwsResult rb = JwsParser.create().parse(bad);
            assertThat(rb.isOk()).isTrue();
            assertThat(v.verify(rb.jws(), keys.keySet())).isEqualTo(Reason.BAD_SIGNATURE);
        }
    }

    @ParameterizedTest(name = "{0} key of {1} via {2}")
    @MethodSource("cases")
    void keyvalAndPem(Algorithm alg, Algorithm keyAlg, CryptoProvider crypto) throws Exception {
        if (alg.family() == Algorithm.Family.HMAC) {
            return; // HMAC secrets never come from keyval or PEM
        }
        TestTokens.Signer s = TestTokens.signer(keyAlg);
        if (alg == Algorithm.ES256K) {
            // The JDK cannot DER-encode a secp256k1 key for us; use BC's encoding of the same key.
            assertThat(s.publicKey().getEncoded()).isNotEmpty();
        }
        String pem = s.pem();
        String keyval = "{\"" + s.kid + "\":" + TextNode.valueOf(pem) + "}";
        SignatureVerifier v = SignatureVerifier.create(crypto);
        KeySetResult kv = KeySetParser.keyval(utf8(keyval), crypto);
        KeySetResult pm = KeySetParser.pem(utf8(pem), crypto);
        assertThat(kv.isOk()).as(kv.toString()).isTrue();
        assertThat(pm.isOk()).as(pm.toString()).isTrue();
        assertThat(kv.keySet().keys().get(0).kid()).isEqualTo(s.kid);
        assertThat(pm.keySet().keys().get(0).kid()).isNull();
        Jws jws = JwsParser.create().parse(sign(s, alg, true)).jws();
        assertThat(v.verify(jws, kv.keySet())).isNull();
        assertThat(v.verify(jws, pm.keySet())).isNull();
    }

    private static String sign(TestTokens.Signer s, Algorithm alg, boolean withKid) throws Exception {
        if (alg == Algorithm.EDDSA) {
            return signEdDsa(s, withKid);
        }
        return s.sign(CLAIMS, withKid);
    }

    /** Signs an "EdDSA" token with the key of an Ed25519/Ed448 signer. */
    private static String signEdDsa(TestTokens.Signer keyOwner, boolean withKid)
            throws Exception {
        String header = "{\"alg\":\"EdDSA\"" + (withKid ? ",\"kid\":\"" + keyOwner.kid + "\"" : "") + "}";
        String input = TestTokens.b64(header) + "." + TestTokens.b64(CLAIMS);
        Signature sig = Signature.getInstance(TestTokens.curveOf(keyOwner.alg).jwkName());
        sig.initSign(keyOwner.edPair.getPrivate());
        sig.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64Url.encode(sig.sign());
    }

    static String tamper(String token) {
        int dot = token.lastIndexOf('.');
        byte[] sig = Base64Url.decode(token.substring(dot + 1));
        sig[sig.length / 2] ^= 0x01;
        return token.substring(0, dot + 1) + Base64Url.encode(sig);
    }
}
