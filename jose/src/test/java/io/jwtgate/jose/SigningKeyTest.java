package io.jwtgate.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import io.jwtgate.jose.internal.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SigningKey} reads every PEM form openssl writes; the public JWK it derives from a private key is the one of
 * openssl's own {@code -pubout}, and its thumbprint is Nimbus'.
 */
class SigningKeyTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "RS256 | genrsa -traditional -out key.pem 2048 | RSA PRIVATE KEY | RS256",
        "RS256 | genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem | BEGIN PRIVATE KEY | RS256",
        "PS256 | genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out key.pem | BEGIN PRIVATE KEY | PS256",
        "ES256 | ecparam -name prime256v1 -genkey -out key.pem | EC PARAMETERS | ES256",
        "ES384 | ecparam -name secp384r1 -genkey -noout -out key.pem | EC PRIVATE KEY | ES384",
        "ES512 | genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out key.pem | BEGIN PRIVATE KEY | ES512",
        "ES256K | ecparam -name secp256k1 -genkey -out key.pem | EC PRIVATE KEY | ES256K",
        "EdDSA | genpkey -algorithm ED25519 -out key.pem | BEGIN PRIVATE KEY | EdDSA",
        "Ed448 | genpkey -algorithm ED448 -out key.pem | BEGIN PRIVATE KEY | EdDSA",
    })
    void readsOpensslKeysAndDerivesTheirPublicHalf(String alg, String genCommand, String marker,
            String defaultAlg) throws Exception {
        openssl(genCommand.split(" "));
        String pem = Files.readString(dir.resolve("key.pem"));
        assertThat(pem).contains(marker);
        openssl("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");

        Algorithm a = Algorithm.forName(alg);
        SigningKey priv = SigningKey.fromPem(pem);
        SigningKey pub = SigningKey.fromPem(Files.readString(dir.resolve("pub.pem")));
        assertThat(priv.privateKey()).isNotNull();
        assertThat(pub.privateKey()).isNull();
        assertThat(priv.fits(a)).isTrue();
        assertThat(priv.defaultAlgorithm().jwaName()).isEqualTo(defaultAlg);
        Map<String, String> jwk = priv.publicJwk(a, null);
        assertThat(jwk).isEqualTo(pub.publicJwk(a, null));
        assertThat(jwk).containsEntry("use", "sig").containsEntry("alg", alg).doesNotContainKey("d");
        // Nimbus computes the thumbprint independently (docs/jwt.md#standards)
        Map<String, Object> json = new LinkedHashMap<>(jwk);
        assertThat(JWK.parse(json).computeThumbprint().toString()).isEqualTo(jwk.get("kid"));

        // the key signs, and our verifier accepts the signature with the JWK
        String token = JwsSigner.sign(a, priv.privateKey(), jwk.get("kid"), "{\"sub\":\"k\"}");
        String jwks = "{\"keys\":[" + new ObjectMapper().writeValueAsString(jwk) + "]}";
        KeySetResult keys = KeySetParser.jwks(jwks.getBytes(StandardCharsets.UTF_8), CryptoProvider.jdk());
        assertThat(keys.isOk()).as(keys.toString()).isTrue();
        assertThat(SignatureVerifier.create(CryptoProvider.jdk())
                .verify(JwsParser.create().parse(token).jws(), keys.keySet())).isNull();
    }

    /** A message names a block by a short, printable label, however long the file's (found by JoseFuzzTest). */
    @Test
    void longLabelsAreCutInMessages() {
        String label = "P\r".repeat(3000);
        assertThatThrownBy(() -> SigningKey.fromPem("-----BEGIN " + label + "-----\nMC\n"))
                .isInstanceOf(SigningKey.Invalid.class)
                .hasMessage("PEM block \"" + "P?".repeat(20) + "...\" has no END line");
        String blocks = ("-----BEGIN " + label + "-----\nAA==\n-----END " + label + "-----\n").repeat(5);
        assertThatThrownBy(() -> SigningKey.fromPem(blocks))
                .isInstanceOf(SigningKey.Invalid.class)
                .message().hasSizeLessThan(300).doesNotContain("\r");
    }

    @Test
    void generatedKeysReadBackFromTheirPem() throws Exception {
        for (Algorithm a : Algorithm.values()) {
            if (a.family() == Algorithm.Family.HMAC) {
                continue;
            }
            SigningKey k = SigningKey.generate(a, 2048);
            assertThat(k.fits(a)).as(a.jwaName()).isTrue();
            SigningKey back = SigningKey.fromPem(k.privateKeyPem());
            assertThat(back.publicJwk(a, "x")).as(a.jwaName()).isEqualTo(k.publicJwk(a, "x"));
        }
    }

    @Test
    void mismatchIsNamed() throws Exception {
        SigningKey ec384 = SigningKey.generate(Algorithm.ES384, 0);
        assertThat(ec384.fits(Algorithm.ES256)).isFalse();
        assertThat(ec384.fits(Algorithm.RS256)).isFalse();
        assertThat(ec384.describe()).isEqualTo("an EC P-384 key");
        assertThat(SigningKey.needs(Algorithm.ES256)).isEqualTo("an EC P-256 key");
        assertThat(SigningKey.needs(Algorithm.EDDSA)).isEqualTo("an Ed25519 or Ed448 key");
        assertThat(SigningKey.generate(Algorithm.RS256, 2048).describe()).isEqualTo("an RSA key (2048 bits)");
    }

    @Test
    void badInputsGiveOneLineReasons() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:x",
                "-out", "enc.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=x",
                "-keyout", "k.pem", "-out", "cert.pem");
        String good = Files.readString(dir.resolve("k.pem"));
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {Files.readString(dir.resolve("enc.pem")), "encrypted private keys are not supported"});
        cases.add(new String[] {Files.readString(dir.resolve("cert.pem")), "no key block (found CERTIFICATE"});
        cases.add(new String[] {"{\"keys\":[]}", "not PEM"});
        cases.add(new String[] {"", "not PEM"});
        cases.add(new String[] {good.substring(0, good.length() / 2), "has no END line"});
        cases.add(new String[] {good.replace("-----BEGIN PRIVATE KEY-----\n", "-----BEGIN PRIVATE KEY-----\n%%"),
            "is not base64"});
        cases.add(new String[] {"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "malformed PRIVATE KEY"});
        cases.add(new String[] {"-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n",
            "malformed EC PRIVATE KEY"});
        cases.add(new String[] {good + good, "more than one key"});
        for (String[] c : cases) {
            assertThatThrownBy(() -> SigningKey.fromPem(c[0])).isInstanceOf(SigningKey.Invalid.class)
                    .hasMessageContaining(c[1]).hasMessageNotContaining("\n");
        }
        // a certificate next to its key is passed over, as nginx's ssl_certificate_key allows
        assertThat(SigningKey.fromPem(Files.readString(dir.resolve("cert.pem")) + good).fits(Algorithm.ES256))
                .isTrue();
    }

    /** Damaged DER in each PEM form: the key reads, or is refused with {@link SigningKey.Invalid}; nothing else. */
    @Test
    void damagedKeysAreRefusedCleanly() throws Exception {
        openssl("genrsa", "-traditional", "-out", "rsa.pem", "2048");
        openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "ec.pem");
        openssl("genpkey", "-algorithm", "ED25519", "-out", "ed.pem");
        Random random = new Random(12);
        for (String file : new String[] {"rsa.pem", "ec.pem", "ed.pem"}) {
            Pem.Block b = Pem.blocks(
                    Files.readString(dir.resolve(file))).get(0);
            for (int i = 0; i < 400; i++) {
                byte[] der = b.der().clone();
                if (i % 4 == 0) {
                    der = Arrays.copyOf(der, random.nextInt(der.length));
                } else {
                    for (int n = 1 + random.nextInt(3); n > 0; n--) {
                        der[random.nextInt(Math.min(der.length, 40))] = (byte) random.nextInt(256);
                    }
                }
                String pem = Pem.encode(b.label(), der);
                try {
                    SigningKey.fromPem(pem);
                } catch (SigningKey.Invalid expected) {
                    assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
                }
            }
        }
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
