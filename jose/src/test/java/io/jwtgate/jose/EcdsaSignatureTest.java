package io.jwtgate.jose;

import static io.jwtgate.jose.TestTokens.CLAIMS;
import static io.jwtgate.jose.TestTokens.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.jose.internal.Base64Url;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Raw R||S only, exact length, R and S in [1, n-1] (CVE-2022-21449), whatever the provider. */
class EcdsaSignatureTest {

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"ES256", "ES384", "ES512", "ES256K"})
    void malformedSignaturesRejected(Algorithm alg) throws Exception {
        for (CryptoProvider crypto : new CryptoProvider[] {CryptoProvider.preferred(), CryptoProvider.jdk()}) {
            TestTokens.Signer s = TestTokens.signer(alg);
            KeySet keys = KeySetParser.jwks(utf8(s.jwks()), crypto).keySet();
            SignatureVerifier v = SignatureVerifier.create(crypto);
            String token = s.sign(CLAIMS, true);
            int dot = token.lastIndexOf('.');
            String input = token.substring(0, dot + 1);
            byte[] raw = Base64Url.decode(token.substring(dot + 1));
            int fb = alg.curve().fieldBytes();
            assertThat(raw).hasSize(2 * fb);
            assertThat(verify(v, keys, input, raw)).isNull();

            assertThat(verify(v, keys, input, toDer(raw))).isEqualTo(Reason.BAD_SIGNATURE);
            assertThat(verify(v, keys, input, Arrays.copyOf(raw, raw.length - 1))).isEqualTo(Reason.BAD_SIGNATURE);
            assertThat(verify(v, keys, input, Arrays.copyOf(raw, raw.length + 1))).isEqualTo(Reason.BAD_SIGNATURE);
            assertThat(verify(v, keys, input, new byte[2 * fb])).isEqualTo(Reason.BAD_SIGNATURE); // R = S = 0
            byte[] n = fixed(alg.curve().order(), fb);
            byte[] rIsN = raw.clone();
            System.arraycopy(n, 0, rIsN, 0, fb);
            byte[] sIsN = raw.clone();
            System.arraycopy(n, 0, sIsN, fb, fb);
            byte[] sZero = raw.clone();
            Arrays.fill(sZero, fb, 2 * fb, (byte) 0);
            assertThat(verify(v, keys, input, rIsN)).isEqualTo(Reason.BAD_SIGNATURE);
            assertThat(verify(v, keys, input, sIsN)).isEqualTo(Reason.BAD_SIGNATURE);
            assertThat(verify(v, keys, input, sZero)).isEqualTo(Reason.BAD_SIGNATURE);
            // Direct check of the range test too, independent of provider behaviour.
            assertThat(EcdsaChecks.validRawSignature(alg.curve(), rIsN)).isFalse();
            assertThat(EcdsaChecks.validRawSignature(alg.curve(), sIsN)).isFalse();
            assertThat(EcdsaChecks.validRawSignature(alg.curve(), raw)).isTrue();
        }
    }

    private static Reason verify(SignatureVerifier v, KeySet keys, String input, byte[] sig) {
        JwsResult r = JwsParser.create().parse(input + Base64Url.encode(sig));
        assertThat(r.isOk()).isTrue();
        return v.verify(r.jws(), keys);
    }

    static byte[] fixed(BigInteger v, int len) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(b.length, len);
        System.arraycopy(b, b.length - copy, out, len - copy, copy);
        return out;
    }

    /** DER SEQUENCE { INTEGER r, INTEGER s } of a raw signature (what openssl and JCA emit). */
    static byte[] toDer(byte[] raw) {
        int fb = raw.length / 2;
        byte[] r = new BigInteger(1, Arrays.copyOfRange(raw, 0, fb)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(raw, fb, raw.length)).toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(2);
        body.write(r.length);
        body.writeBytes(r);
        body.write(2);
        body.write(s.length);
        body.writeBytes(s);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        if (b.length > 127) {
            out.write(0x81);
        }
        out.write(b.length);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
