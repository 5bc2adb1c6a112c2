package io.jwtgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link ResponseReader} on fixed bytes: framing rules, trailers and malformed input. */
class ResponseReaderTest {

    private static RawResponse parse(String wire, boolean head) throws IOException {
        return new ResponseReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)))
                .read(head, true);
    }

    @Test
    void chunkedWithExtensionsAndTrailers() throws IOException {
        RawResponse res = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n", false);
        assertThat(res.bodyString()).isEqualTo("abc0123456789");
        assertThat(res.trailers().first("x-trailer")).isEqualTo("t");
        assertThat(res.isBodyComplete()).isTrue();
    }

    @Test
    void chunkedCutShortIsIncomplete() throws IOException {
        RawResponse res = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", false);
        assertThat(res.isBodyComplete()).isFalse();
        assertThat(res.bodyString()).isEqualTo("ab");
    }

    @Test
    void untilCloseAndHeadAndNoContent() throws IOException {
        RawResponse untilClose = parse("HTTP/1.0 200 OK\r\n\r\nrest of stream", false);
        assertThat(untilClose.framing()).isEqualTo(RawResponse.Framing.UNTIL_CLOSE);
        assertThat(untilClose.bodyString()).isEqualTo("rest of stream");
        assertThat(untilClose.isBodyComplete()).isTrue();

        RawResponse head = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", true);
        assertThat(head.framing()).isEqualTo(RawResponse.Framing.NONE);
        assertThat(head.isBodyComplete()).isTrue();

        RawResponse noReason = parse("HTTP/1.1 304\r\n\r\n", false);
        assertThat(noReason.reason()).isEmpty();
        assertThat(noReason.head()).isEqualTo("HTTP/1.1 304\r\n\r\n");
    }

    @Test
    void malformedFramingIsAProtocolError() {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", false))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nbad header\r\n\r\n", false))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void pseudoRandomBytesDoNotDependOnSplits() {
        byte[] whole = new byte[100];
        new PseudoRandomBytes().nextBytes(whole, 0, 100);
        byte[] split = new byte[100];
        PseudoRandomBytes gen = new PseudoRandomBytes();
        gen.nextBytes(split, 0, 3);
        gen.nextBytes(split, 3, 50);
        gen.nextBytes(split, 53, 47);
        assertThat(split).isEqualTo(whole);
    }
}
