package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every algorithm, with tokens signed by Nimbus JOSE+JWT (EdDSA by the JDK), against keys written at test time as
 * an inline secret, a JWKS file, a keyval file and single PEM files.
 */
class AlgorithmsTest {

    static final String SECRET64 = "0123456789abcdef".repeat(4);
    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static final KeyPair rsa = Fixtures.rsa(2048);
    static final KeyPair p256 = Fixtures.ec("secp256r1");
    static final KeyPair p384 = Fixtures.ec("secp384r1");
    static final KeyPair p521 = Fixtures.ec("secp521r1");
    static final KeyPair ed = Fixtures.ed25519();
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("jwt-alg");
        byte[] spki = ed.getPublic().getEncoded();
        Base64URL x = Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        Files.writeString(dir.resolve("all.jwks"), "{\"keys\":["
                + new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("rsa").build().toJSONString() + ","
                + new ECKey.Builder(Curve.P_256, (ECPublicKey) p256.getPublic()).keyID("ec256").build().toJSONString()
                + "," + new ECKey.Builder(Curve.P_384, (ECPublicKey) p384.getPublic()).keyID("ec384").build()
                        .toJSONString()
                + "," + new ECKey.Builder(Curve.P_521, (ECPublicKey) p521.getPublic()).keyID("ec521").build()
                        .toJSONString()
                + "," + new OctetKeyPair.Builder(Curve.Ed25519, x).keyID("ed").build().toJSONString()
                + "]}");
        Files.writeString(dir.resolve("keys.keyval"), "{"
                + "\"rsa\":" + json(Fixtures.pem(rsa.getPublic())) + ","
                + "\"ec256\":" + json(Fixtures.pem(p256.getPublic())) + ","
                + "\"ec384\":" + json(Fixtures.pem(p384.getPublic())) + ","
                + "\"ec521\":" + json(Fixtures.pem(p521.getPublic())) + ","
                + "\"ed\":" + json(Fixtures.pem(ed.getPublic())) + "}");
        Files.writeString(dir.resolve("rsa.pem"), Fixtures.pem(rsa.getPublic()));
        Files.writeString(dir.resolve("ec256.pem"), Fixtures.pem(p256.getPublic()));
        Files.writeString(dir.resolve("ec384.pem"), Fixtures.pem(p384.getPublic()));
        Files.writeString(dir.resolve("ec521.pem"), Fixtures.pem(p521.getPublic()));
        Files.writeString(dir.resolve("ed.pem"), Fixtures.pem(ed.getPublic()));
        String server = """
                location /secret { jwt_secret "%s"; echo "ok $jwt_claim_sub"; }
                location /jwks { jwt_key_file all.jwks; echo "ok $jwt_claim_sub"; }
                location /keyval { jwt_key_file keys.keyval keyval; echo "ok $jwt_claim_sub"; }
                location /pem/rsa { jwt_key_file rsa.pem pem; echo "ok $jwt_claim_sub"; }
                location /pem/ec256 { jwt_key_file ec256.pem pem; echo "ok $jwt_claim_sub"; }
                location /pem/ec384 { jwt_key_file ec384.pem pem; echo "ok $jwt_claim_sub"; }
                location /pem/ec521 { jwt_key_file ec521.pem pem; echo "ok $jwt_claim_sub"; }
                location /pem/ed { jwt_key_file ed.pem pem; echo "ok $jwt_claim_sub"; }
                """.formatted(SECRET64);
        gw = TestGateway.start(dir, Fixtures.conf(TestGateway.freePort(), "", server), Fixtures.modules(clock));
    }

    static String json(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String token(String alg, String kid) {
        String payload = claims("sub-" + alg, "");
        return switch (alg) {
            case "HS256", "HS384", "HS512" -> Fixtures.hs(JWSAlgorithm.parse(alg), SECRET64, kid, payload);
            case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512" ->
                    Fixtures.rs(JWSAlgorithm.parse(alg), rsa, kid, payload);
            case "ES256" -> Fixtures.es(JWSAlgorithm.ES256, p256, kid, payload);
            case "ES384" -> Fixtures.es(JWSAlgorithm.ES384, p384, kid, payload);
            case "ES512" -> Fixtures.es(JWSAlgorithm.ES512, p521, kid, payload);
            case "EdDSA", "Ed25519" -> Fixtures.ed25519(ed.getPrivate(), alg, kid, payload);
            default -> throw new IllegalArgumentException(alg);
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "HS256, /secret, ",
        "HS384, /secret, ",
        "HS512, /secret, ",
        "RS256, /jwks, rsa",
        "RS384, /jwks, rsa",
        "RS512, /jwks, rsa",
        "PS256, /jwks, rsa",
        "PS384, /jwks, rsa",
        "PS512, /jwks, rsa",
        "ES256, /jwks, ec256",
        "ES384, /jwks, ec384",
        "ES512, /jwks, ec521",
        "EdDSA, /jwks, ed",
        "Ed25519, /jwks, ed",
        "RS256, /jwks, ",
        "ES256, /jwks, ",
        "EdDSA, /jwks, ",
        "RS256, /keyval, rsa",
        "PS256, /keyval, rsa",
        "ES256, /keyval, ec256",
        "ES384, /keyval, ec384",
        "ES512, /keyval, ec521",
        "EdDSA, /keyval, ed",
        "RS256, /pem/rsa, ",
        "PS512, /pem/rsa, ",
        "ES256, /pem/ec256, ",
        "ES384, /pem/ec384, ",
        "ES512, /pem/ec521, ",
        "EdDSA, /pem/ed, ",
        "Ed25519, /pem/ed, ",
    })
    void independentlySignedTokenVerifies(String alg, String path, String kid) {
        String t = token(alg, kid);
        RawResponse r = RawHttpClient.get(gw.port(), path, bearer(t));
        assertThat(r.code()).as(r.toString()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("ok sub-" + alg);
        // one flipped signature bit must fail
        int dot = t.lastIndexOf('.');
        char c = t.charAt(dot + 3);
        String bad = t.substring(0, dot + 3) + (c == 'A' ? 'B' : 'A') + t.substring(dot + 4);
        RawResponse b = RawHttpClient.get(gw.port(), path, bearer(bad));
        Fixtures.assertInvalid(b, "signature verification failed");
    }
}
