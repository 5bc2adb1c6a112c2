package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.jwtgate.testing.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jwtgate token sign|decode|verify}: its tokens verify with Nimbus, it checks tokens Nimbus and openssl made,
 * reads every PEM key form openssl writes, and answers mistakes with one line.
 */
class TokenCommandTest {

    static final String SECRET = "a-secret-that-is-32-bytes-long!!";

    @TempDir
    Path dir;

    @Test
    void signedTokensVerifyWithNimbus() throws Exception {
        MainTest.Result r = MainTest.run("token", "sign", "--alg", "HS256", "--secret", SECRET, "--kid", "k1",
                "--claim", "sub=alice", "--claim", "admin=true", "--claim", "level=3", "--exp", "1h");
        assertThat(r.code()).isZero();
        SignedJWT jwt = SignedJWT.parse(r.out().trim());
        assertThat(jwt.verify(new MACVerifier(SECRET))).isTrue();
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("k1");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(jwt.getJWTClaimsSet().getBooleanClaim("admin")).isTrue();
        assertThat(jwt.getJWTClaimsSet().getLongClaim("level")).isEqualTo(3L);
        long exp = jwt.getJWTClaimsSet().getExpirationTime().getTime() / 1000;
        assertThat(exp - System.currentTimeMillis() / 1000).isBetween(3590L, 3610L);
    }

    @Test
    void ecdsaWithAnOpensslKeyVerifiesWithNimbus() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem");
        openssl("pkey", "-in", "ec.pem", "-pubout", "-out", "ec.pub");
        MainTest.Result r = MainTest.run("token", "sign", "--alg", "ES256", "--key", dir.resolve("ec.pem").toString(),
                "--claims", "{\"sub\":\"bob\"}", "--exp", "5m");
        assertThat(r.code()).as(r.err()).isZero();
        String pem = Files.readString(dir.resolve("ec.pub")).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        ECPublicKey pub = (ECPublicKey) KeyFactory
                .getInstance("EC").generatePublic(new X509EncodedKeySpec(
                        Base64.getDecoder().decode(pem)));
        assertThat(SignedJWT.parse(r.out().trim()).verify(new ECDSAVerifier(pub))).isTrue();
        MainTest.Result v = MainTest.run("token", "verify", "--key", dir.resolve("ec.pub").toString(), "--format",
                "pem", r.out().trim());
        assertThat(v.out().trim()).isEqualTo("valid");
    }

    @Test
    void verifiesNimbusTokensAndReportsTheReason() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
        Files.writeString(dir.resolve("keys.jwks"), "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}");
        long now = System.currentTimeMillis() / 1000;
        String good = sign(key, "{\"sub\":\"carol\",\"exp\":" + (now + 600) + "}");
        String expired = sign(key, "{\"sub\":\"carol\",\"exp\":" + (now - 600) + "}");
        String jwks = dir.resolve("keys.jwks").toString();
        MainTest.Result ok = MainTest.run("token", "verify", "--key", jwks, good);
        assertThat(ok.code()).isZero();
        assertThat(ok.out().trim()).isEqualTo("valid");
        MainTest.Result bad = MainTest.run("token", "verify", "--key", jwks, expired);
        assertThat(bad.code()).isEqualTo(Exit.CONFIG);
        assertThat(bad.out().trim()).isEqualTo("invalid: token expired");
        assertThat(MainTest.run("token", "verify", "--key", jwks, "--leeway", "15m", expired).out())
                .isEqualTo("valid\n");
        String early = sign(key, "{\"sub\":\"carol\",\"exp\":" + (now + 1200) + ",\"nbf\":" + (now + 600) + "}");
        assertThat(MainTest.run("token", "verify", "--key", jwks, early).out())
                .isEqualTo("invalid: token not yet valid\n");
        assertThat(MainTest.run("token", "verify", "--key", jwks, "--leeway", "15m", early).out())
                .isEqualTo("valid\n");
        assertThat(MainTest.run("token", "verify", "--key", jwks, "{\"not\":\"a token\"}").out())
                .isEqualTo("invalid: malformed token\n");
        MainTest.Result forged = MainTest.run("token", "verify", "--secret", SECRET, good);
        assertThat(forged.out().trim()).isEqualTo("invalid: no matching key");
        MainTest.Result decoded = MainTest.run("token", "decode", good);
        assertThat(decoded.out()).contains("\"kid\" : \"e1\"").contains("\"sub\" : \"carol\"")
                .contains("(signature not verified)");
        assertThat(MainTest.run("token", "decode", "not.a-token").code()).isEqualTo(Exit.CONFIG);
    }

    @Test
    void usageMistakes() {
        assertThat(MainTest.run("token", "sign", "--alg", "HS256").err())
                .isEqualTo("HS256 signs with --secret <secret>\n");
        assertThat(MainTest.run("token", "sign", "--alg", "none", "--secret", "x").err())
                .startsWith("unknown algorithm \"none\" (known: HS256 HS384 HS512 RS256 ");
        assertThat(MainTest.run("token", "verify", "x.y.z").code()).isEqualTo(Exit.CONFIG);
    }

    @ParameterizedTest(name = "token {0} --help")
    @ValueSource(strings = {"", "sign", "decode", "verify", "keygen", "jwks"})
    void helpOnEverySubcommand(String sub) {
        for (String h : new String[] {"-h", "--help"}) {
            MainTest.Result r = sub.isEmpty() ? MainTest.run("token", h) : MainTest.run("token", sub, h);
            assertThat(r.code()).as(sub + " " + h).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).startsWith("Usage: jwtgate token" + (sub.isEmpty() ? "" : " " + sub));
        }
    }

    /** Every PEM form openssl writes signs, and the token verifies with Nimbus against openssl's public key. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "RS256 | genrsa -traditional -out key.pem 2048",
        "PS384 | genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem",
        "ES256 | ecparam -name prime256v1 -genkey -out key.pem",
        "ES384 | ecparam -name secp384r1 -genkey -noout -out key.pem",
        "ES512 | genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out key.pem",
    })
    void signsWithEveryOpensslPemForm(String alg, String gen) throws Exception {
        openssl(gen.split(" "));
        openssl("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
        MainTest.Result r = MainTest.run("token", "sign", "--alg", alg, "--key", dir.resolve("key.pem").toString(),
                "--claim", "sub=pem", "--exp", "5m");
        assertThat(r.code()).as(r.err()).isZero();
        PublicKey pub = KeyFactory.getInstance(alg.startsWith("ES") ? "EC" : "RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(
                        Files.readString(dir.resolve("pub.pem")).replaceAll("-----[A-Z ]+-----", ""))));
        JWSVerifier v = alg.startsWith("ES")
                ? new ECDSAVerifier((ECPublicKey) pub)
                : new RSASSAVerifier((RSAPublicKey) pub);
        SignedJWT jwt = SignedJWT.parse(r.out().trim());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo(alg);
        assertThat(jwt.verify(v)).isTrue();
        // and verify tells the PEM public key by its content
        assertThat(MainTest.run("token", "verify", "--key", dir.resolve("pub.pem").toString(), r.out().trim()).out())
                .isEqualTo("valid\n");
    }

    @Test
    void aStatedFormatTheContentContradictsIsNamed() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem");
        openssl("pkey", "-in", "ec.pem", "-pubout", "-out", "ec.pub");
        String token = MainTest.run("token", "sign", "--alg", "ES256", "--key", dir.resolve("ec.pem").toString())
                .out().trim();
        MainTest.Result r = MainTest.run("token", "verify", "--key", dir.resolve("ec.pub").toString(), "--format",
                "jwks", token);
        assertThat(r.code()).isEqualTo(Exit.CONFIG);
        assertThat(r.err()).isEqualTo(dir.resolve("ec.pub") + ": the content is pem, not jwks as stated\n");
        MainTest.Result priv = MainTest.run("token", "verify", "--key", dir.resolve("ec.pem").toString(), token);
        assertThat(priv.err()).startsWith(dir.resolve("ec.pem") + ": a private key, not a public key");
    }

    /** Wrong keys and bad input: one line on standard error, exit 1, never a stack trace. */
    @Test
    void badInputGetsOneLine() throws Exception {
        openssl("ecparam", "-name", "secp384r1", "-genkey", "-out", "ec384.pem");
        openssl("pkey", "-in", "ec384.pem", "-pubout", "-out", "ec384.pub");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes256", "-pass", "pass:x",
                "-out", "enc.pem");
        Files.write(dir.resolve("binary.pem"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '-', '-'});
        Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        String ec384 = dir.resolve("ec384.pem").toString();
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("sign", "--alg", "ES256", "--key", ec384),
                ec384 + " holds an EC P-384 key, which cannot sign ES256 (ES256 needs an EC P-256 key)");
        cases.put(List.of("sign", "--alg", "RS256", "--key", ec384),
                ec384 + " holds an EC P-384 key, which cannot sign RS256 (RS256 needs an RSA key)");
        cases.put(List.of("sign", "--alg", "EdDSA", "--key", ec384),
                ec384 + " holds an EC P-384 key, which cannot sign EdDSA (EdDSA needs an Ed25519 or Ed448 key)");
        cases.put(List.of("sign", "--alg", "ES384", "--key", dir.resolve("ec384.pub").toString()),
                dir.resolve("ec384.pub") + ": a public key; signing needs the private key");
        cases.put(List.of("sign", "--alg", "RS256", "--key", dir.resolve("enc.pem").toString()),
                dir.resolve("enc.pem") + ": encrypted private keys are not supported; write a plain copy with "
                        + "openssl pkey -in <file> -out <new file>");
        cases.put(List.of("sign", "--alg", "RS256", "--key", dir.resolve("binary.pem").toString()),
                dir.resolve("binary.pem") + ": not PEM (no -----BEGIN line)");
        cases.put(List.of("sign", "--alg", "RS256", "--key", dir.resolve("garbage.pem").toString()),
                dir.resolve("garbage.pem") + ": malformed PRIVATE KEY");
        cases.put(List.of("sign", "--alg", "RS256", "--key", dir.resolve("missing.pem").toString()),
                dir.resolve("missing.pem") + ": no such file");
        cases.put(List.of("sign", "--alg", "RS256", "--key", dir.toString()), dir + ": is a directory");
        cases.put(List.of("sign", "--alg", "HS256", "--secret", SECRET, "--claims", "[1]"),
                "--claims must be a JSON object");
        cases.put(List.of("sign", "--alg", "HS256", "--secret", SECRET, "--exp", "soon"),
                "invalid --exp \"soon\" (e.g. 30s, 15m, 1h, 7d, -5m)");
        cases.put(List.of("sign", "--alg", "HS256", "--secret", SECRET, "--count", "0"), "--count must be at least 1");
        cases.put(List.of("sign", "--alg", "HS256", "--key", ec384), "HS256 signs with --secret <secret>, not --key");
        cases.put(List.of("verify", "--key", dir.resolve("binary.pem").toString(), "a.b.c"),
                dir.resolve("binary.pem") + ": not a key document in any format: jwks: ");
        cases.put(List.of("verify", "--key", ec384, "--format", "der", "a.b.c"),
                "unknown key format \"der\": jwks, keyval or pem");
        cases.put(List.of("decode", "%%%"), "cannot decode: ");
        cases.put(List.of("verify", "--secret", SECRET, "--format", "pem", "a.b.c"), "--format is for --key files");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("token"));
            args.addAll(c.getKey());
            MainTest.Result r = MainTest.run(args.toArray(new String[0]));
            assertThat(r.code()).as(c.getKey().toString()).isEqualTo(Exit.CONFIG);
            assertThat(r.out()).as(c.getKey().toString()).isEmpty();
            assertThat(r.err()).as(c.getKey().toString()).startsWith(c.getValue()).endsWith("\n")
                    .hasLineCount(1).doesNotContain("Exception");
        }
        MainTest.Result claims = MainTest.run("token", "sign", "--alg", "HS256", "--secret", SECRET, "--claims", "{");
        assertThat(claims.err()).startsWith("--claims is not JSON: ").hasLineCount(1);
    }

    private static String sign(ECKey key, String payload) throws Exception {
        JWSObject o = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new Payload(payload));
        o.sign(new ECDSASigner(key));
        return o.serialize();
    }

    private void openssl(String... args) throws Exception {
        Openssl.run(dir, args);
    }
}
