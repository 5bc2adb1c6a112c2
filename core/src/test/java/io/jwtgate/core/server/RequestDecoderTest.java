package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The request decoder's chunk accounting ({@link RequestDecoder.ChunkStart}) on a chunked body cut into pieces at
 * arbitrary places, as TCP delivers it: the body comes out whole, each chunk announced once before its data, and
 * never a chunk's data bytes read as a size line.
 */
class RequestDecoderTest {

    /** A size line that arrives alone: the decoder has no data to hand on yet, only the announcement. */
    @Test
    void sizeLineWithoutItsDataYet() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder());
        ch.writeInbound(ascii("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"));
        ch.writeInbound(ascii("5\r\n"));
        ch.writeInbound(ascii("hello\r\n"));
        ch.writeInbound(ascii("3\r\n"));
        ch.writeInbound(ascii("abc\r\n0\r\n\r\n"));
        List<Long> announced = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Object m; (m = ch.readInbound()) != null; ) {
            if (m instanceof HttpContent c) {
                assertThat(c.decoderResult().isSuccess()).isTrue();
                if (c instanceof RequestDecoder.ChunkStart s) {
                    announced.add(s.announced());
                }
                body.append(c.content().toString(StandardCharsets.US_ASCII));
                c.release();
            }
        }
        assertThat(body).hasToString("helloabc");
        assertThat(announced).containsExactly(5L, 8L);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void chunkedBodyCutAnywhereComesOutWholeWithEachChunkAnnouncedOnce() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int[] sizes = new int[1 + random.nextInt(6)];
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            wire.writeBytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = 1 + random.nextInt(random.nextBoolean() ? 20 : 70_000);
                byte[] data = new byte[sizes[i]];
                for (int j = 0; j < data.length; j++) {
                    // data full of line ends and hex digits, so that a size line read from it would parse
                    data[j] = (byte) "\r\n0123456789abcdef;"
                            .charAt(random.nextInt(19));
                }
                wire.writeBytes((Integer.toHexString(sizes[i]) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                wire.writeBytes(data);
                wire.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                body.writeBytes(data);
            }
            wire.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] bytes = wire.toByteArray();

            EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder());
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 4 : 20_000));
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, n));
                at += n;
            }
            List<Long> announced = new ArrayList<>();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean ended = false;
            for (Object m; (m = ch.readInbound()) != null; ) {
                if (m instanceof HttpRequest r) {
                    assertThat(r.decoderResult().isSuccess()).isTrue();
                }
                if (m instanceof HttpContent c) {
                    assertThat(c.decoderResult().isSuccess()).as("round %d", round).isTrue();
                    if (c instanceof RequestDecoder.ChunkStart s) {
                        announced.add(s.announced());
                    }
                    ByteBuf b = c.content();
                    byte[] piece = new byte[b.readableBytes()];
                    b.readBytes(piece);
                    received.writeBytes(piece);
                    ended |= c instanceof LastHttpContent;
                    c.release();
                }
            }
            assertThat(ended).isTrue();
            assertThat(received.toByteArray()).as("round %d", round).isEqualTo(body.toByteArray());
            List<Long> expected = new ArrayList<>();
            long sum = 0;
            for (int s : sizes) {
                sum += s;
                expected.add(sum);
            }
            assertThat(announced).as("round %d", round).isEqualTo(expected);
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }
}
