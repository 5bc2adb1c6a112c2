package io.jwtgate.jose;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** The token tool's signer, checked by an independent verifier (Nimbus). */
class JwsSignerTest {

    @Test
    void hmacTokensVerifyWithNimbus() throws Exception {
        String secret = "a-secret-of-at-least-thirty-two-bytes!!";
        String t = JwsSigner.sign(Algorithm.HS256, JwsSigner.secret(secret), "k1", "{\"sub\":\"alice\"}");
        SignedJWT jwt = SignedJWT.parse(t);
        assertThat(jwt.verify(new MACVerifier(secret))).isTrue();
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("k1");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
    }

    @Test
    void rsaPssAndEcdsaTokensVerifyWithNimbus() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rk = rsa.generateKeyPair();
        for (Algorithm a : new Algorithm[] {Algorithm.RS256, Algorithm.PS256, Algorithm.PS512}) {
            String t = JwsSigner.sign(a, rk.getPrivate(), null, "{\"sub\":\"bob\"}");
            JWSVerifier v = new RSASSAVerifier((RSAPublicKey) rk.getPublic());
            assertThat(SignedJWT.parse(t).verify(v)).as(a.jwaName()).isTrue();
        }
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ek = ec.generateKeyPair();
        String t = JwsSigner.sign(Algorithm.ES256, ek.getPrivate(), null, "{}");
        assertThat(SignedJWT.parse(t).verify(new ECDSAVerifier((ECPublicKey) ek.getPublic()))).isTrue();
    }
}
