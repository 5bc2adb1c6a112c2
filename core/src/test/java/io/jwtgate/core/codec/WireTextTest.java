package io.jwtgate.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireTextTest {

    /** The header form of {@code text}: its UTF-8 bytes, one char each. */
    static String wire(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void utf8BytesBecomeTextAndBack() {
        String text = "Jos\u00e9 M\u00fcller \u674e\u96f7 \ud83d\ude00";
        assertThat(WireText.decode(wire(text))).isEqualTo(text);
        assertThat(WireText.encode(text)).isEqualTo(wire(text));
    }

    @Test
    void asciiIsReturnedAsItIs() {
        String s = "Bearer abc.def-ghi_";
        assertThat(WireText.decode(s)).isSameAs(s);
        assertThat(WireText.encode(s)).isSameAs(s);
        assertThat(WireText.decode(null)).isNull();
    }

    @Test
    void binaryDataIsOneCharPerByteAndEncodesBack() {
        // 127.0.0.1 and an IPv6 address whose bytes c3 a9 would decode as one character
        byte[] v4 = {127, 0, 0, 1};
        byte[] v6 = {(byte) 0xc3, (byte) 0xa9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, 0x41};
        assertThat(WireText.ofBytes(v4)).isEqualTo("\u007f\u0000\u0000\u0001");
        assertThat(WireText.ofBytes(v6)).hasSize(16).startsWith("\udcc3\udca9").endsWith("\udcffA");
        assertThat(WireText.encode(WireText.ofBytes(v6)))
                .isEqualTo(new String(v6, StandardCharsets.ISO_8859_1));
    }

    @Test
    void bytesThatAreNotUtf8AreKeptEscaped() {
        // a lone lead byte, an overlong slash, an encoded surrogate, a Latin-1 e-acute
        String bytes = "a\u00c3(\u00c0\u00af\u00ed\u00a0\u0080\u00e9";
        String text = WireText.decode(bytes);
        assertThat(text).isEqualTo("a\udcc3(\udcc0\udcaf\udced\udca0\udc80\udce9");
        assertThat(WireText.encode(text)).isEqualTo(bytes);
    }

    @Test
    void anyBytesSurviveTheRoundTrip() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            char[] bytes = new char[random.nextInt(1, 12)];
            for (int k = 0; k < bytes.length; k++) {
                // mostly the bytes UTF-8 is made of, so that valid and broken sequences both come up
                bytes[k] = (char) (random.nextBoolean() ? random.nextInt(0x80, 0x100) : random.nextInt(0, 0x100));
            }
            String s = new String(bytes);
            assertThat(WireText.encode(WireText.decode(s))).as("bytes %s", s.chars().boxed().toList()).isEqualTo(s);
        }
    }

    @Test
    void halfASurrogatePairHasNoUtf8() {
        assertThat(WireText.encode("a\ud83d")).isEqualTo("a?");
    }
}
