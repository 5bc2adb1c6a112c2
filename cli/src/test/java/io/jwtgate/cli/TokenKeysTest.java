package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import io.jwtgate.testing.Openssl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jwtgate token keygen} and {@code token jwks}: keys they make sign tokens that our verifier and an
 * independent one (Nimbus; openssl for EdDSA, which Nimbus verifies only with Tink) accept through the printed JWKS,
 * and JWKS made from openssl's keys verify tokens openssl signed.
 */
class TokenKeysTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RS256", "PS512", "ES256", "ES384", "ES512", "ES256K", "EdDSA", "Ed25519", "Ed448"})
    void keygenSignVerifyRoundTrip(String alg) throws Exception {
        Path key = dir.resolve("key.pem");
        MainTest.Result gen = MainTest.run("token", "keygen", "--alg", alg, "--out", key.toString());
        assertThat(gen.code()).as(gen.err()).isZero();
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        JWKSet set = JWKSet.parse(gen.out());
        assertThat(set.getKeys()).hasSize(1);
        JWK jwk = set.getKeys().get(0);
        assertThat(jwk.isPrivate()).isFalse();
        assertThat(jwk.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(jwk.getAlgorithm().getName()).isEqualTo(alg);
        assertThat(jwk.getKeyID()).isEqualTo(jwk.computeThumbprint().toString());
        Path jwks = dir.resolve("keys.jwks");
        Files.writeString(jwks, gen.out());

        MainTest.Result signed = MainTest.run("token", "sign", "--alg", alg, "--key", key.toString(), "--kid",
                jwk.getKeyID(), "--claim", "sub=keygen", "--exp", "5m");
        assertThat(signed.code()).as(signed.err()).isZero();
        String token = signed.out().trim();
        assertThat(MainTest.run("token", "verify", "--key", jwks.toString(), token).out()).isEqualTo("valid\n");
        assertThat(independentlyVerified(jwk, token)).isTrue();

        // the key file is never overwritten
        String before = Files.readString(key);
        MainTest.Result again = MainTest.run("token", "keygen", "--alg", alg, "--out", key.toString());
        assertThat(again.code()).isEqualTo(Exit.CONFIG);
        assertThat(again.err()).isEqualTo(key + ": exists, not overwritten\n");
        assertThat(Files.readString(key)).isEqualTo(before);
    }

    @Test
    void keygenForHmacMakesASecret() throws Exception {
        MainTest.Result gen = MainTest.run("token", "keygen", "--alg", "HS384");
        assertThat(gen.code()).isZero();
        String secret = gen.out().trim();
        assertThat(secret).matches("[A-Za-z0-9_-]{64}");
        assertThat(MainTest.run("token", "keygen", "--alg", "HS384").out().trim()).isNotEqualTo(secret);
        String token = MainTest.run("token", "sign", "--alg", "HS384", "--secret", secret).out().trim();
        assertThat(SignedJWT.parse(token).verify(new MACVerifier(secret))).isTrue();
        // without --out the private key goes to standard output, as openssl genpkey does
        assertThat(MainTest.run("token", "keygen", "--alg", "ES256").out()).startsWith("-----BEGIN PRIVATE KEY-----")
                .doesNotContain("keys");
    }

    /** openssl's keys, in its traditional forms too, through {@code token jwks}; openssl signs, Nimbus verifies. */
    @Test
    void opensslKeysToJwksVerifyOpensslTokens() throws Exception {
        Openssl.run(dir, "genrsa", "-traditional", "-out", "rsa.pem", "2048");
        Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
        Openssl.run(dir, "genpkey", "-algorithm", "ED25519", "-out", "ed.pem");
        Openssl.run(dir, "pkey", "-in", "ec.pem", "-pubout", "-out", "ec.pub");
        assertThat(Files.readString(dir.resolve("rsa.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("ec.pem"))).startsWith("-----BEGIN EC PARAMETERS-----");
        MainTest.Result r = MainTest.run("token", "jwks", dir.resolve("rsa.pem").toString(),
                dir.resolve("ec.pem").toString(), dir.resolve("ed.pem").toString());
        assertThat(r.code()).as(r.err()).isZero();
        JWKSet set = JWKSet.parse(r.out());
        assertThat(set.getKeys()).extracting(k -> k.getAlgorithm().getName()).containsExactly("RS256", "ES256",
                "EdDSA");
        for (JWK k : set.getKeys()) {
            assertThat(k.isPrivate()).isFalse();
            assertThat(k.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
            assertThat(k.getKeyID()).isEqualTo(k.computeThumbprint().toString());
        }
        assertThat(r.out()).doesNotContain("\"d\"").doesNotContain("\"p\"");
        // the public PEM gives the same JWK as the private one
        JWK fromPub = JWKSet.parse(MainTest.run("token", "jwks", dir.resolve("ec.pub").toString()).out()).getKeys()
                .get(0);
        assertThat(fromPub).isEqualTo(set.getKeys().get(1));

        String rsaToken = opensslToken("RS256", set.getKeys().get(0).getKeyID(), "rsa.pem");
        assertThat(SignedJWT.parse(rsaToken).verify(new RSASSAVerifier(set.getKeys().get(0).toRSAKey()))).isTrue();
        String ecToken = opensslToken("ES256", set.getKeys().get(1).getKeyID(), "ec.pem");
        assertThat(SignedJWT.parse(ecToken).verify(new ECDSAVerifier(set.getKeys().get(1).toECKey()))).isTrue();
        Path jwks = dir.resolve("keys.jwks");
        Files.writeString(jwks, r.out());
        for (String t : new String[] {rsaToken, ecToken, opensslToken("EdDSA", set.getKeys().get(2).getKeyID(),
                "ed.pem")}) {
            assertThat(MainTest.run("token", "verify", "--key", jwks.toString(), t).out()).isEqualTo("valid\n");
        }
    }

    @Test
    void keygenAndJwksMistakesAreOneLine() throws Exception {
        Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.pem");
        Openssl.run(dir, "genrsa", "-out", "small.pem", "1024");
        String ec = dir.resolve("ec.pem").toString();
        assertThat(MainTest.run("token", "jwks", "--alg", "ES384", ec).err()).isEqualTo(ec
                + " holds an EC P-256 key, which does not fit ES384 (ES384 needs an EC P-384 key)\n");
        assertThat(MainTest.run("token", "jwks", "--kid", "a", ec, ec).err())
                .isEqualTo("give --kid once per file (2), or not at all\n");
        assertThat(MainTest.run("token", "jwks", ec, ec).err())
                .startsWith(ec + " and " + ec + " have the same kid \"").endsWith("\" (the same key)\n");
        Path small = dir.resolve("small.pem");
        assertThat(MainTest.run("token", "jwks", small.toString()).err())
                .isEqualTo(small + " holds an RSA key (1024 bits); the gateway skips RSA keys under 2048 bits\n");
        MainTest.Result named = MainTest.run("token", "jwks", "--kid", "k1", ec);
        assertThat(JWKSet.parse(named.out()).getKeyByKeyId("k1")).isNotNull();
        assertThat(MainTest.run("token", "jwks").code()).isEqualTo(Exit.CONFIG);
        assertThat(MainTest.run("token", "keygen", "--alg", "ES256", "--bits", "4096").err())
                .isEqualTo("--bits is for RSA keys; ES256 keys have the size of their curve\n");
        assertThat(MainTest.run("token", "keygen", "--alg", "RS256", "--bits", "1024").err())
                .isEqualTo("--bits must be between 2048 (the gateway's minimum) and 8192\n");
        assertThat(MainTest.run("token", "keygen", "--alg", "HS256", "--kid", "k").err())
                .isEqualTo("--kid is for key pairs; HS256 makes a secret\n");
    }

    /** A token whose signature openssl made with {@code key}. */
    private String opensslToken(String alg, String kid, String key) throws Exception {
        String input = b64("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}") + "."
                + b64("{\"sub\":\"openssl\",\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}");
        Files.writeString(dir.resolve("in"), input);
        if (alg.equals("EdDSA")) {
            Openssl.run(dir, "pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", "in", "-out", "sig");
        } else {
            Openssl.run(dir, "dgst", "-sha256", "-sign", key, "-out", "sig", "in");
        }
        byte[] sig = Files.readAllBytes(dir.resolve("sig"));
        if (alg.equals("ES256")) {
            sig = ECDSA.transcodeSignatureToConcat(sig, 64);
        }
        return input + "." + Base64URL.encode(sig);
    }

    /** Nimbus for RSA and EC (with Bouncy Castle for secp256k1); openssl for the Edwards curves. */
    private boolean independentlyVerified(JWK jwk, String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        if (jwk instanceof OctetKeyPair okp) {
            byte[] prefix = okp.getCurve().equals(Curve.Ed25519)
                    ? new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00}
                    : new byte[] {0x30, 0x43, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x03, 0x3a, 0x00};
            byte[] x = okp.getDecodedX();
            byte[] spki = new byte[prefix.length + x.length];
            System.arraycopy(prefix, 0, spki, 0, prefix.length);
            System.arraycopy(x, 0, spki, prefix.length, x.length);
            Files.writeString(dir.resolve("okp.pub"), "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----\n");
            Files.write(dir.resolve("okp.in"), jwt.getSigningInput());
            Files.write(dir.resolve("okp.sig"), jwt.getSignature().decode());
            return Openssl.run(dir, "pkeyutl", "-verify", "-pubin", "-inkey", "okp.pub", "-rawin", "-in", "okp.in",
                    "-sigfile", "okp.sig").contains("Signature Verified Successfully");
        }
        JWSVerifier v;
        if (jwk instanceof ECKey ec && ec.getCurve().equals(Curve.SECP256K1)) {
            BouncyCastleProvider bc = new BouncyCastleProvider();
            v = new ECDSAVerifier(ec.toECPublicKey(bc));
            v.getJCAContext().setProvider(bc);
        } else if (jwk instanceof ECKey ec) {
            v = new ECDSAVerifier(ec);
        } else {
            v = new RSASSAVerifier(jwk.toRSAKey());
        }
        return jwt.verify(v);
    }

    private static String b64(String s) {
        return Base64URL.encode(s.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
