package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import io.jwtgate.testing.Openssl;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jwtgate token}: its tokens verify with Nimbus, and it checks tokens Nimbus and openssl made. */
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
        java.security.interfaces.ECPublicKey pub = (java.security.interfaces.ECPublicKey) java.security.KeyFactory
                .getInstance("EC").generatePublic(new java.security.spec.X509EncodedKeySpec(
                        java.util.Base64.getDecoder().decode(pem)));
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
        MainTest.Result forged = MainTest.run("token", "verify", "--secret", SECRET, good);
        assertThat(forged.out().trim()).isEqualTo("invalid: no matching key");
        MainTest.Result decoded = MainTest.run("token", "decode", good);
        assertThat(decoded.out()).contains("\"kid\" : \"e1\"").contains("\"sub\" : \"carol\"")
                .contains("(signature not verified)");
        assertThat(MainTest.run("token", "decode", "not.a-token").code()).isEqualTo(Exit.CONFIG);
    }

    @Test
    void usageMistakes() {
        assertThat(MainTest.run("token", "sign", "--alg", "HS256").err()).contains("needs --secret");
        assertThat(MainTest.run("token", "sign", "--alg", "none", "--secret", "x").err())
                .contains("unknown algorithm \"none\"");
        assertThat(MainTest.run("token", "verify", "x.y.z").code()).isEqualTo(Exit.CONFIG);
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
