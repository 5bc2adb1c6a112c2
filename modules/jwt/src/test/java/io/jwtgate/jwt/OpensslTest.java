package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.b64;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.Openssl;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PEM keys generated and tokens signed by the {@code openssl} CLI, a signer independent of the JVM; ECDSA DER
 * signatures are converted to R||S here, as a JWS producer must.
 */
class OpensslTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static Path dir;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        // openssl 3 is on every machine this project builds on (Debian 12); without it this test fails, not skips
        assertThat(run("openssl", "version")).startsWith("OpenSSL 3");
        dir = Files.createTempDirectory("jwt-openssl");
        gen("RS256", "RSA", "rsa_keygen_bits:2048");
        gen("ES256", "EC", "ec_paramgen_curve:P-256");
        gen("EdDSA", "ED25519", null);
        String server = """
                location /RS256 { jwt_key_file RS256.pub pem; echo "ok $jwt_claim_sub"; }
                location /ES256 { jwt_key_file ES256.pub pem; echo "ok $jwt_claim_sub"; }
                location /EdDSA { jwt_key_file EdDSA.pub pem; echo "ok $jwt_claim_sub"; }
                """;
        gw = TestGateway.start(dir, Fixtures.conf(TestGateway.freePort(), "", server), Fixtures.modules(clock));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    static void gen(String alg, String keyAlg, String opt) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "genpkey", "-algorithm", keyAlg, "-out",
                dir.resolve(alg + ".key").toString()));
        if (opt != null) {
            cmd.addAll(List.of("-pkeyopt", opt));
        }
        run(cmd.toArray(new String[0]));
        run("openssl", "pkey", "-in", dir.resolve(alg + ".key").toString(), "-pubout", "-out",
                dir.resolve(alg + ".pub").toString());
    }

    @ParameterizedTest
    @CsvSource({"RS256", "ES256", "EdDSA"})
    void opensslSignedTokenPasses(String alg) throws Exception {
        String input = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64(claims("openssl-" + alg, ""));
        Path in = dir.resolve(alg + ".in");
        Path sig = dir.resolve(alg + ".sig");
        Files.write(in, input.getBytes(StandardCharsets.US_ASCII));
        String key = dir.resolve(alg + ".key").toString();
        if (alg.equals("EdDSA")) {
            run("openssl", "pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", in.toString(), "-out", sig.toString());
        } else {
            run("openssl", "dgst", "-sha256", "-sign", key, "-out", sig.toString(), in.toString());
        }
        byte[] signature = Files.readAllBytes(sig);
        if (alg.equals("ES256")) {
            byte[] der = signature;
            signature = derToRaw(der, 32);
            Fixtures.assertInvalid(RawHttpClient.get(gw.port(), "/" + alg, bearer(input + "." + b64(der))),
                    "signature verification failed");
        }
        RawResponse r = RawHttpClient.get(gw.port(), "/" + alg, bearer(input + "." + b64(signature)));
        assertThat(r.code()).as(r.toString()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("ok openssl-" + alg);
    }

    /** DER SEQUENCE { INTEGER r, INTEGER s } to fixed-length R||S. */
    static byte[] derToRaw(byte[] der, int fb) {
        int i = (der[1] & 0xff) == 0x81 ? 3 : 2;
        byte[] out = new byte[2 * fb];
        for (int part = 0; part < 2; part++) {
            int len = der[i + 1] & 0xff;
            byte[] b = new BigInteger(1, Arrays.copyOfRange(der, i + 2, i + 2 + len)).toByteArray();
            int copy = Math.min(b.length, fb);
            System.arraycopy(b, b.length - copy, out, part * fb + fb - copy, copy);
            i += 2 + len;
        }
        return out;
    }

    /** Runs {@code openssl ...}; {@code cmd[0]} is "openssl". */
    static String run(String... cmd) throws Exception {
        return Openssl.run(null, Arrays.copyOfRange(cmd, 1, cmd.length));
    }
}
