package io.jwtgate.jose;

import static io.jwtgate.jose.TestTokens.b64;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.jose.internal.Base64Url;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwsParserTest {

    private static final String H = b64("{\"alg\":\"HS256\",\"kid\":\"k\"}");
    private static final String P = b64("{\"sub\":\"a\"}");
    private static final String S = "c2ln"; // "sig"

    private static JwsResult parse(String t) {
        return JwsParser.create().parse(t);
    }

    private static void assertMalformed(String token) {
        JwsResult r = parse(token);
        assertThat(r.isOk()).as(token).isFalse();
        assertThat(r.reason()).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void wellFormed() {
        JwsResult r = parse(H + "." + P + "." + S);
        assertThat(r.isOk()).isTrue();
        assertThat(r.jws().alg()).isEqualTo("HS256");
        assertThat(r.jws().algorithm()).isEqualTo(Algorithm.HS256);
        assertThat(r.jws().kid()).isEqualTo("k");
        assertThat(r.jws().payload().get("sub").textValue()).isEqualTo("a");
        assertThat(new String(r.jws().signingInput())).isEqualTo(H + "." + P);
        assertThat(r.jws().signature()).containsExactly('s', 'i', 'g');
    }

    @Test
    void segmentCounts() {
        assertMalformed(H + "." + P);
        assertMalformed(H + "." + P + "." + S + "." + S);
        JwsResult jwe = parse(H + "." + P + "." + S + "." + S + "." + S);
        assertThat(jwe.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(jwe.detail()).contains("JWE");
        assertMalformed(H);
        assertMalformed("");
    }

    @Test
    void emptySegments() {
        assertMalformed("." + P + "." + S);
        assertMalformed(H + ".." + S);
        assertMalformed(H + "." + P + "."); // empty signature with alg HS256
        String none = b64("{\"alg\":\"none\"}");
        JwsResult r = parse(none + "." + P + ".");
        assertThat(r.isOk()).isTrue();
        assertThat(r.jws().algorithm()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"=", "+", "/", " ", "\n", "\t", "é"})
    void badBase64(String bad) {
        assertMalformed(H + bad + "." + P + "." + S);
        assertMalformed(H + "." + P + "." + S + bad);
    }

    @Test
    void paddedSegmentRejected() {
        String padded = Base64.getUrlEncoder().encodeToString("{\"alg\":\"HS256\" }".getBytes());
        assertThat(padded).endsWith("=");
        assertMalformed(padded + "." + P + "." + S);
    }

    @Test
    void nonCanonicalTrailingBits() {
        // "c2lo" decodes to "sih"; "c2k" is "si" with zero trailing bits, "c2l" has non-zero ones.
        assertThat(parse(H + "." + P + ".c2k").isOk()).isTrue();
        assertMalformed(H + "." + P + ".c2l");
        assertMalformed(H + "." + P + ".c"); // 1 char cannot encode a byte
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"x\"", "1", "null", "{", "{\"alg\":\"HS256\"} {}", "{\"alg\":\"HS256\"}x",
            "{\"alg\":\"HS256\",\"alg\":\"HS256\"}", "{'alg':'HS256'}", "{\"alg\":\"HS256\",}"})
    void badHeader(String header) {
        assertMalformed(b64(header) + "." + P + "." + S);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"x\"", "{\"a\":1,\"a\":2}", "{\"a\":1}garbage",
            "{\"n\":123456789012345678901234567890}", "{\"n\":1e999}", "{\"a\":{\"b\":1,\"b\":2}}"})
    void badPayload(String payload) {
        assertMalformed(H + "." + b64(payload) + "." + S);
    }

    @Test
    void nesting() {
        String ok = "{\"a\":" + "[".repeat(15) + "]".repeat(15) + "}"; // depth 16
        String bad = "{\"a\":" + "[".repeat(16) + "]".repeat(16) + "}"; // depth 17
        assertThat(parse(H + "." + b64(ok) + "." + S).isOk()).isTrue();
        assertMalformed(H + "." + b64(bad) + "." + S);
    }

    @Test
    void utf16AndBomRejected() {
        byte[] utf16 = "{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_16LE);
        assertMalformed(Base64Url.encode(utf16) + "." + P + "." + S);
        byte[] bom = ("\uFEFF{\"alg\":\"HS256\"}").getBytes(StandardCharsets.UTF_8);
        assertMalformed(Base64Url.encode(bom) + "." + P + "." + S);
        byte[] invalidUtf8 = {'{', '"', 'a', 'l', 'g', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertMalformed(Base64Url.encode(invalidUtf8) + "." + P + "." + S);
    }

    @Test
    void oversizedTokenRejectedBeforeDecoding() {
        String big = "!".repeat(JwsParser.DEFAULT_MAX_LENGTH + 1); // not even base64: length wins
        assertThat(parse(big).reason()).isEqualTo(Reason.TOO_LARGE);
        String fits = H + "." + b64("{\"x\":\"" + "a".repeat(10000) + "\"}") + "." + S;
        assertThat(fits.length()).isLessThan(JwsParser.DEFAULT_MAX_LENGTH);
        assertThat(parse(fits).isOk()).isTrue();
        assertThat(JwsParser.withMaxLength(100).parse(fits).reason()).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void headerRules() {
        assertMalformed(b64("{\"typ\":\"JWT\"}") + "." + P + "." + S); // alg missing
        assertMalformed(b64("{\"alg\":256}") + "." + P + "." + S);
        assertMalformed(b64("{\"alg\":\"HS256\",\"kid\":7}") + "." + P + "." + S);
        assertMalformed(b64("{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}") + "." + P + "." + S);
        // Unknown and wrongly-cased algs parse; the verifier rejects them.
        JwsResult r = parse(b64("{\"alg\":\"hs256\"}") + "." + P + "." + S);
        assertThat(r.isOk()).isTrue();
        assertThat(r.jws().algorithm()).isNull();
    }
}
