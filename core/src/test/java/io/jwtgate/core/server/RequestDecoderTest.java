package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
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
        EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(8192, 32768));
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

    /**
     * After a chunk size line Netty refuses, the bytes that arrive later are discarded, not scanned as the next
     * request's head: one failure, not a second made-up bad request (found by WireParsersFuzzTest).
     */
    @Test
    void bytesAfterABadChunkSizeAreDiscarded() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(8192, 32768));
        ch.writeInbound(ascii("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        ch.writeInbound(ascii("\r\nx\rGET / HTTP/1.1\r\n\r\n"));
        int failures = 0;
        int requests = 0;
        for (Object m; (m = ch.readInbound()) != null; ) {
            if (m instanceof HttpRequest) {
                requests++;
            }
            if (m instanceof HttpContent c && !c.decoderResult().isSuccess()) {
                failures++;
            }
            ReferenceCountUtil.release(m);
        }
        assertThat(requests).isEqualTo(1);
        assertThat(failures).isEqualTo(1);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    /**
     * Chunk data not ended by CR LF, or an empty line for a size line: the bytes where the CR LF or the size line
     * belonged announce no chunk (found by WireParsersFuzzTest).
     */
    @Test
    void badChunkTerminationAnnouncesNoChunk() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(8192, 32768));
        ch.writeInbound(ascii("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n!w orl"));
        ch.writeInbound(ascii("d\r\n0\r\n\r\n"));
        assertThat(announced(ch)).containsExactly(6L);

        // an empty line where a size line belongs, after the CR LF of a chunk's data: no chunk either
        ch = new EmbeddedChannel(new RequestDecoder(8192, 32768));
        ch.writeInbound(ascii("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"));
        ch.writeInbound(ascii("\r\n6\r\n!w or"));
        assertThat(announced(ch)).containsExactly(5L);
    }

    private static List<Long> announced(EmbeddedChannel ch) {
        List<Long> announced = new ArrayList<>();
        for (Object m; (m = ch.readInbound()) != null; ) {
            if (m instanceof RequestDecoder.ChunkStart s) {
                announced.add(s.announced());
            }
            ReferenceCountUtil.release(m);
        }
        assertThat(ch.finishAndReleaseAll()).isFalse();
        return announced;
    }

    /**
     * A size line too long for Netty, whole or cut before its end: its size is announced either way, so the answer
     * (413 over the limit) does not depend on the cut (found by WireParsersFuzzTest).
     */
    @Test
    void tooLongSizeLineIsAnnouncedHoweverCut() {
        String head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        String sizeLine = "666e" + ";e".repeat(200) + "\r\n";
        for (int cut : new int[] {sizeLine.length(), 300}) {
            EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(256, 1024));
            ch.writeInbound(ascii(head + sizeLine.substring(0, cut)));
            ch.writeInbound(ascii(sizeLine.substring(cut) + "data"));
            List<Long> announced = new ArrayList<>();
            for (Object m; (m = ch.readInbound()) != null; ) {
                if (m instanceof RequestDecoder.ChunkStart s) {
                    announced.add(s.announced());
                }
                ReferenceCountUtil.release(m);
            }
            assertThat(announced).as("cut at %d", cut).containsExactly(0x666eL);
            ch.finishAndReleaseAll();
        }
    }

    /**
     * Empty lines before a request line are skipped however many, as nginx skips them, whether they arrive in one read
     * or many: Netty alone counts those of one read against the request line's length (found by WireParsersFuzzTest).
     */
    @Test
    void emptyLinesBeforeARequestAreSkippedHoweverMany() {
        for (int pieces : new int[] {1, 3}) {
            EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(256, 1024));
            for (int i = 0; i < pieces; i++) {
                ch.writeInbound(ascii("\r\n\n".repeat(300 / pieces)));
            }
            ch.writeInbound(ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
            HttpRequest request = ch.readInbound();
            assertThat(request.decoderResult().isSuccess()).as("%d pieces", pieces).isTrue();
            assertThat(request.uri()).isEqualTo("/");
            ReferenceCountUtil.release(request);
            ch.finishAndReleaseAll();
        }
    }

    /**
     * A request line that starts with a control character is refused, as nginx refuses its method, whether the bytes
     * arrive in one read or many: Netty alone skips such bytes, those of one read up to a line's length (found by
     * WireParsersFuzzTest).
     */
    @Test
    void controlCharacterBeforeARequestLineIsRefused() {
        for (String first : new String[] {"\u001a\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", "\u001a"}) {
            EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(256, 1024));
            ch.writeInbound(ascii(first));
            if (first.length() == 1) {
                ch.writeInbound(ascii("\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"));
            }
            HttpRequest request = ch.readInbound();
            assertThat(request.decoderResult().isSuccess()).isFalse();
            ReferenceCountUtil.release(request);
            assertThat((Object) ch.readInbound()).isNull();
            ch.finishAndReleaseAll();
        }
    }

    /**
     * A head whose lines end in bare LFs and CR LFs, followed by a pipelined one, cut at every point: both requests
     * decode whole, with their headers.
     */
    @Test
    void bareLineFeedHeadsCutAnywhere() {
        String wire = "\nGET /a HTTP/1.1\nHost: a\r\nX-User: u\n\nGET /b HTTP/1.1\r\nHost: b\nX-User: v\r\n\r\n";
        for (int cut = 0; cut <= wire.length(); cut++) {
            EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(8192, 32768));
            ch.writeInbound(ascii(wire.substring(0, cut)));
            ch.writeInbound(ascii(wire.substring(cut)));
            List<String> got = new ArrayList<>();
            for (Object m; (m = ch.readInbound()) != null; ) {
                if (m instanceof HttpRequest r) {
                    assertThat(r.decoderResult().isSuccess()).as("cut at %d", cut).isTrue();
                    got.add(r.uri() + " " + r.headers().get("Host") + " " + r.headers().get("X-User"));
                }
                ReferenceCountUtil.release(m);
            }
            assertThat(got).as("cut at %d", cut).containsExactly("/a a u", "/b b v");
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    /**
     * A CR that no LF follows, a folded line, an empty line of CR CR LF: one failed request, cut at every point. A
     * bad request line gives Netty's stand-in {@code /bad-request} (logged as an invalid request); a bad header line
     * the request as read (an invalid header line). Nothing after it is decoded.
     */
    @Test
    void refusedLineEndsCutAnywhere() {
        String next = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
        String[][] cases = {
            {"GET /a HTTP/1.1\rHost: a\r\n\r\n", "/bad-request"},
            {"GET /a HTTP/1.1\r\r\nHost: a\r\n\r\n", "/bad-request"},
            {"GET /a HTTP/1.1\nHost: a\nX-User: u\rv\n\n", "/a"},
            {"GET /a HTTP/1.1\nHost: a\nX-User: u\n v\n\n", "/a"},
            {"GET /a HTTP/1.1\nHost: a\n\tv\n\n", "/a"},
            {"GET /a HTTP/1.1\nHost: a\n\r\r\n", "/a"},
        };
        for (String[] c : cases) {
            String wire = c[0] + next;
            for (int cut = 0; cut <= wire.length(); cut++) {
                EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(8192, 32768));
                ch.writeInbound(ascii(wire.substring(0, cut)));
                ch.writeInbound(ascii(wire.substring(cut)));
                List<String> got = new ArrayList<>();
                for (Object m; (m = ch.readInbound()) != null; ) {
                    if (m instanceof HttpRequest r) {
                        got.add(r.uri() + (r.decoderResult().isFailure() ? " failed" : ""));
                    }
                    ReferenceCountUtil.release(m);
                }
                assertThat(got).as("%s cut at %d", c[0], cut).containsExactly(c[1] + " failed");
                assertThat(ch.finishAndReleaseAll()).isFalse();
            }
        }
    }

    /**
     * A chunked body framed with a bare LF (after the size, after the data, after the last chunk or its trailer)
     * fails: nginx takes these, jwtgate keeps chunked framing to CR LF (docs/configuration.md, "Request heads").
     */
    @Test
    void chunkedFramingWithBareLineFeedsFails() {
        String head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (String body : new String[] {"3\nabc\r\n0\r\n\r\n", "3\r\nabc\n0\r\n\r\n", "3\r\nabc\r\n0\n\r\n",
            "3;x=y\nabc\r\n0\r\n\r\n"}) {
            EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(8192, 32768));
            ch.writeInbound(ascii(head + body));
            boolean failed = false;
            for (Object m; (m = ch.readInbound()) != null; ) {
                failed |= m instanceof HttpContent c && c.decoderResult().isFailure();
                ReferenceCountUtil.release(m);
            }
            assertThat(failed).as(body).isTrue();
            ch.finishAndReleaseAll();
        }
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

            EmbeddedChannel ch = new EmbeddedChannel(new RequestDecoder(8192, 32768));
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
