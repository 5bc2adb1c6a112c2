package io.jwtgate.jose;

import static io.jwtgate.jose.TestTokens.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.jwtgate.jose.internal.Base64Url;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class KeySetParserTest {

    private static final CryptoProvider CRYPTO = CryptoProvider.preferred();

    private static KeySetResult jwks(String json) {
        return KeySetParser.jwks(utf8(json), CRYPTO);
    }

    private static String ecJwk(String crv, byte[] x, byte[] y) {
        return "{\"kty\":\"EC\",\"crv\":\"" + crv + "\",\"x\":\"" + Base64Url.encode(x) + "\",\"y\":\""
                + Base64Url.encode(y) + "\"}";
    }

    private static byte[] fixed(BigInteger v, int len) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(b.length, len);
        System.arraycopy(b, b.length - copy, out, len - copy, copy);
        return out;
    }

    @Test
    void rsa1024Skipped() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        RSAPublicKey k = (RSAPublicKey) g.generateKeyPair().getPublic();
        String jwk = "{\"kty\":\"RSA\",\"kid\":\"small\",\"n\":\"" + Base64Url.encode(k.getModulus().toByteArray())
                + "\",\"e\":\"AQAB\"}";
        KeySetResult r = jwks("{\"keys\":[" + jwk + "]}");
        assertThat(r.isOk()).isFalse();
        assertThat(r.error()).isEqualTo("no usable key");
        assertThat(r.isWellFormed()).as("the document answered, only its keys are unusable").isTrue();
        assertThat(r.warnings()).singleElement().asString().contains("small").contains("1024 bits");
        // Same via PEM.
        KeySetResult pem = KeySetParser.pem(utf8(TestTokens.pem(k)), CRYPTO);
        assertThat(pem.isOk()).isFalse();
        assertThat(pem.error()).contains("1024");
    }

    @Test
    void wellFormedTellsAnEmptyAnswerFromABrokenDocument() {
        assertThat(jwks("{\"keys\":[]}").isWellFormed()).isTrue();
        assertThat(jwks("{\"keys\":[]}").isOk()).isFalse();
        assertThat(jwks("{}").isWellFormed()).isFalse();
        assertThat(jwks("<html>").isWellFormed()).isFalse();
    }

    @Test
    void ecPointNotOnCurveSkipped() throws Exception {
        ECPublicKey k = (ECPublicKey) TestTokens.signer(Algorithm.ES256).publicKey();
        byte[] x = fixed(k.getW().getAffineX(), 32);
        byte[] y = fixed(k.getW().getAffineY().add(BigInteger.ONE), 32);
        KeySetResult r = jwks("{\"keys\":[" + ecJwk("P-256", x, y) + "]}");
        assertThat(r.isOk()).isFalse();
        assertThat(r.warnings()).singleElement().asString().contains("not on P-256");
        // The genuine point loads.
        byte[] goodY = fixed(k.getW().getAffineY(), 32);
        assertThat(jwks("{\"keys\":[" + ecJwk("P-256", x, goodY) + "]}").isOk()).isTrue();
        // The P-256 point declared as secp256k1 is not on that curve either.
        assertThat(jwks("{\"keys\":[" + ecJwk("secp256k1", x, goodY) + "]}").isOk()).isFalse();
    }

    @Test
    void ecAlgOnWrongCurveSkipped() throws Exception {
        String jwk = TestTokens.signer(Algorithm.ES384).jwkJson();
        String wrong = jwk.substring(0, jwk.length() - 1) + ",\"alg\":\"ES256\"}";
        KeySetResult r = jwks("{\"keys\":[" + wrong + "]}");
        assertThat(r.isOk()).isFalse();
        assertThat(r.warnings()).singleElement().asString().contains("ES256 does not fit");
    }

    @Test
    void coordinatesMustHaveFullLength() throws Exception {
        ECPublicKey k = (ECPublicKey) TestTokens.signer(Algorithm.ES256).publicKey();
        byte[] x = fixed(k.getW().getAffineX(), 31);
        assertThat(jwks("{\"keys\":[" + ecJwk("P-256", x, fixed(k.getW().getAffineY(), 32)) + "]}").isOk()).isFalse();
    }

    @Test
    void skippedKeysAreReportedAndOthersKept() throws Exception {
        String good = TestTokens.signer(Algorithm.RS256).jwkJson();
        String enc = good.substring(0, good.length() - 1).replace("\"kid\":\"kid-RS256\"", "\"kid\":\"e\"")
                + ",\"use\":\"enc\"}";
        String doc = "{\"keys\":[" + good + "," + enc + ",{\"kty\":\"XYZ\"},"
                + "{\"kty\":\"EC\",\"crv\":\"P-999\",\"x\":\"AA\",\"y\":\"AA\"},"
                + "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AA\"},"
                + "{\"kty\":\"RSA\",\"n\":\"!!\",\"e\":\"AQAB\"},"
                + "{\"kty\":\"oct\",\"k\":\"\"},"
                + "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"alg\":\"RS256\"},"
                + "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"key_ops\":[\"encrypt\"]},"
                + "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"alg\":\"none\"},"
                + "\"not an object\"]}";
        KeySetResult r = jwks(doc);
        assertThat(r.isOk()).isTrue();
        assertThat(r.keySet().size()).isEqualTo(1);
        assertThat(r.warnings()).hasSize(10);
        assertThat(String.join("\n", r.warnings())).contains("use is \"enc\"").contains("unsupported kty")
                .contains("unsupported crv").contains("not base64url").contains("empty secret")
                .contains("key_ops").doesNotContain("c2VjcmV0");
    }

    @Test
    void shortSecretWarns() {
        KeySetResult r = KeySetParser.secret("short", CRYPTO);
        assertThat(r.isOk()).isTrue();
        assertThat(r.warnings()).singleElement().asString().contains("shorter");
        assertThat(KeySetParser.secret("x".repeat(32), CRYPTO).warnings()).isEmpty();
        assertThat(KeySetParser.secret("", CRYPTO).isOk()).isFalse();
    }

    @Test
    void documentErrorsNeverThrow() {
        assertThat(jwks("").error()).isNotNull();
        assertThat(jwks("[]").error()).isNotNull();
        assertThat(jwks("{\"keys\":{}}").error()).contains("keys");
        assertThat(jwks("{\"keys\":[],\"keys\":[]}").error()).isNotNull();
        assertThat(jwks("{\"keys\":[]} x").error()).isNotNull();
        assertThat(KeySetParser.jwks(new byte[KeySetParser.MAX_DOCUMENT_BYTES + 1], CRYPTO).error()).contains("larger");
        StringBuilder many = new StringBuilder("{\"keys\":[");
        for (int i = 0; i <= KeySetParser.MAX_KEYS; i++) {
            many.append(i == 0 ? "" : ",").append("{}");
        }
        assertThat(jwks(many.append("]}").toString()).error()).contains("more than 256");
        assertThat(KeySetParser.keyval(utf8("nope"), CRYPTO).error()).isNotNull();
        assertThat(KeySetParser.pem(utf8("nope"), CRYPTO).error()).isNotNull();
        assertThat(KeySetParser.pem(utf8("-----BEGIN PUBLIC KEY-----\n@@@\n-----END PUBLIC KEY-----"), CRYPTO).error())
                .isNotNull();
        assertThat(KeySetParser.pem(utf8("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"), CRYPTO).error())
                .isNotNull();
    }

    @Test
    void keyvalSkipsNonPemValues() throws Exception {
        TestTokens.Signer ed = TestTokens.signer(Algorithm.ED25519);
        String doc = "{\"a\":\"just-a-secret\",\"b\":42,\"c\":"
                + TextNode.valueOf(ed.pem()) + "}";
        KeySetResult r = KeySetParser.keyval(utf8(doc), CRYPTO);
        assertThat(r.isOk()).isTrue();
        assertThat(r.keySet().keys()).singleElement().satisfies(k -> {
            assertThat(k.kid()).isEqualTo("c");
            assertThat(k.type()).isEqualTo(KeyType.OKP);
            assertThat(k.curve()).isEqualTo(Curve.ED25519);
        });
        assertThat(r.warnings()).hasSize(2).allMatch(w -> w.contains("not a PEM public key"));
        assertThat(KeySetParser.keyval(utf8("{\"a\":\"secret\"}"), CRYPTO).isOk()).isFalse();
    }

    @Test
    void pemRejectsTwoKeys() throws Exception {
        String pem = TestTokens.signer(Algorithm.RS256).pem();
        assertThat(KeySetParser.pem(utf8(pem + pem), CRYPTO).error()).contains("more than one");
    }

    @Test
    void describeNamesProviders() {
        assertThat(CryptoProvider.jdk().describe()).contains("JDK").contains("Bouncy Castle");
        assertThat(CryptoProvider.preferred().describe()).isNotBlank();
    }

    /** Decided once: the start-up log, {@code -v} and every module see the same providers, probed once. */
    @Test
    void preferredIsOneInstance() throws Exception {
        Callable<CryptoProvider> ask = CryptoProvider::preferred;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<CryptoProvider> f : pool.invokeAll(List.of(ask, ask, ask, ask))) {
                assertThat(f.get()).isSameAs(CryptoProvider.preferred());
            }
        } finally {
            pool.shutdown();
        }
    }
}
