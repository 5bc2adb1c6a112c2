package io.jwtgate.jose;

import static io.jwtgate.jose.TestTokens.b64;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.jose.internal.Base64Url;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keys and signatures made by the {@code openssl} CLI at test time, a signer fully independent of
 * the JVM. ECDSA signatures come out of openssl as DER; the test converts them to raw R||S as a JWS
 * producer must, and checks that the DER form itself is rejected.
 */
class OpensslFixtureTest {

    @TempDir
    static Path dir;

    static boolean haveOpenssl;

    @BeforeAll
    static void probe() {
        try {
            haveOpenssl = run("openssl", "version").startsWith("OpenSSL 3");
        } catch (Exception e) {
            haveOpenssl = false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "RS256, RSA, rsa_keygen_bits:2048, -sha256",
        "PS256, RSA, rsa_keygen_bits:2048, -sha256",
        "ES256, EC, ec_paramgen_curve:P-256, -sha256",
        "ES384, EC, ec_paramgen_curve:P-384, -sha384",
        "ES256K, EC, ec_paramgen_curve:secp256k1, -sha256",
        "EdDSA, ED25519, , ",
        "Ed448, ED448, , ",
    })
    void opensslSignedTokenVerifies(String alg, String keyAlg, String keyOpt, String digest) throws Exception {
        // openssl 3 is on every machine this project builds on (Debian 12): without it this fails, never skips
        assertThat(haveOpenssl).as("openssl 3 on the PATH").isTrue();
        Path key = dir.resolve(alg + ".key");
        Path pub = dir.resolve(alg + ".pub");
        List<String> gen = new ArrayList<>(List.of("openssl", "genpkey", "-algorithm", keyAlg, "-out", key.toString()));
        if (keyOpt != null) {
            gen.addAll(List.of("-pkeyopt", keyOpt));
        }
        run(gen.toArray(new String[0]));
        run("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());

        String input = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"openssl\"}");
        Path in = dir.resolve(alg + ".in");
        Path sig = dir.resolve(alg + ".sig");
        Files.write(in, input.getBytes(StandardCharsets.US_ASCII));
        if (digest == null) {
            run("openssl", "pkeyutl", "-sign", "-inkey", key.toString(), "-rawin", "-in", in.toString(),
                    "-out", sig.toString());
        } else if (alg.startsWith("PS")) {
            run("openssl", "dgst", digest, "-sign", key.toString(), "-sigopt", "rsa_padding_mode:pss",
                    "-sigopt", "rsa_pss_saltlen:digest", "-out", sig.toString(), in.toString());
        } else {
            run("openssl", "dgst", digest, "-sign", key.toString(), "-out", sig.toString(), in.toString());
        }
        byte[] signature = Files.readAllBytes(sig);
        byte[] der = null;
        if (keyAlg.equals("EC")) {
            der = signature;
            signature = derToRaw(signature, Algorithm.forName(alg).curve().fieldBytes());
        }

        for (CryptoProvider crypto : new CryptoProvider[] {CryptoProvider.preferred(), CryptoProvider.jdk()}) {
            KeySetResult keys = KeySetParser.pem(Files.readAllBytes(pub), crypto);
            assertThat(keys.isOk()).as(keys.toString()).isTrue();
            SignatureVerifier v = SignatureVerifier.create(crypto);
            JwsResult ok = JwsParser.create().parse(input + "." + Base64Url.encode(signature));
            assertThat(ok.isOk()).isTrue();
            assertThat(v.verify(ok.jws(), keys.keySet())).as(alg + " via " + crypto).isNull();
            if (der != null) {
                Jws derToken = JwsParser.create().parse(input + "." + Base64Url.encode(der)).jws();
                assertThat(v.verify(derToken, keys.keySet())).isEqualTo(Reason.BAD_SIGNATURE);
            }
        }
    }

    /** DER SEQUENCE { INTEGER r, INTEGER s } to fixed-length R||S. */
    static byte[] derToRaw(byte[] der, int fb) {
        int i = 2;
        if ((der[1] & 0xff) == 0x81) {
            i = 3;
        }
        byte[] out = new byte[2 * fb];
        for (int part = 0; part < 2; part++) {
            assertThat(der[i]).isEqualTo((byte) 2);
            int len = der[i + 1] & 0xff;
            BigInteger v = new BigInteger(1, Arrays.copyOfRange(der, i + 2, i + 2 + len));
            byte[] b = v.toByteArray();
            int copy = Math.min(b.length, fb);
            System.arraycopy(b, b.length - copy, out, part * fb + fb - copy, copy);
            i += 2 + len;
        }
        return out;
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        String text = new String(out, StandardCharsets.UTF_8);
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + text);
        }
        return text;
    }
}
