package io.jwtgate.jose;

import static io.jwtgate.jose.TestTokens.pem;
import static io.jwtgate.jose.TestTokens.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A key document's format is recognised by its content where that is unambiguous; a stated format wins. */
class KeyFormatTest {

    private static final CryptoProvider CRYPTO = CryptoProvider.jdk();

    private static PublicKey ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair().getPublic();
    }

    private static String keyval(String pem) {
        return "{\"k1\":\"" + pem.replace("\n", "\\n") + "\"}";
    }

    @Test
    void detectsEachFormat() throws Exception {
        String pem = pem(ecKey());
        String jwks = "{\"keys\":[" + SigningKey.fromPem(pem).publicJwk(Algorithm.ES256, "k1").entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}")) + "]}";
        assertThat(KeyFormat.detect(utf8("\n" + pem))).isEqualTo(KeyFormat.PEM);
        assertThat(KeyFormat.detect(utf8("a comment line\n" + pem))).isEqualTo(KeyFormat.PEM);
        assertThat(KeyFormat.detect(utf8(" " + jwks))).isEqualTo(KeyFormat.JWKS);
        assertThat(KeyFormat.detect(utf8(keyval(pem)))).isEqualTo(KeyFormat.KEYVAL);
        assertThat(KeyFormat.detect(utf8("{\"a\":1}"))).isNull();
        assertThat(KeyFormat.detect(utf8("{\"keys\":"))).isNull();
        assertThat(KeyFormat.detect(utf8("hello"))).isNull();
        assertThat(KeyFormat.detect(new byte[0])).isNull();
        for (String doc : new String[] {pem, jwks, keyval(pem)}) {
            KeySetResult r = KeyFormat.load(utf8(doc), null, CRYPTO);
            assertThat(r.isOk()).as(doc).isTrue();
            assertThat(r.keySet().keys()).singleElement().extracting(Jwk::curve).isEqualTo(Curve.P_256);
        }
    }

    @Test
    void aStatedFormatIsAuthoritative() throws Exception {
        String pem = pem(ecKey());
        KeySetResult r = KeyFormat.load(utf8(pem), KeyFormat.JWKS, CRYPTO);
        assertThat(r.isOk()).isFalse();
        assertThat(r.error()).isEqualTo("the content is pem, not jwks as stated");
        assertThat(KeyFormat.load(utf8(keyval(pem)), KeyFormat.PEM, CRYPTO).error())
                .isEqualTo("the content is keyval, not pem as stated");
        // the stated format's own error when the content shows nothing else
        assertThat(KeyFormat.load(utf8("{\"a\":1}"), KeyFormat.JWKS, CRYPTO).error())
                .isEqualTo("JWKS has no \"keys\" array");
    }

    @Test
    void anUnrecognisedDocumentNamesEveryFormatTried() {
        KeySetResult r = KeyFormat.load(utf8("hello"), null, CRYPTO);
        assertThat(r.error()).startsWith("not a key document in any format: jwks: key document: ")
                .contains("; keyval: key document: ").endsWith("; pem: no \"-----BEGIN PUBLIC KEY-----\" block");
        assertThat(KeyFormat.load(utf8("-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n"), null,
                CRYPTO).error()).startsWith("a private key, not a public key");
        assertThat(KeyFormat.load(new byte[KeySetParser.MAX_DOCUMENT_BYTES + 1], null, CRYPTO).error())
                .isEqualTo("key document larger than 262144 bytes");
    }
}
