package io.jwtgate.core.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.testing.Fuzzer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Fuzzing of the wire parsers (docs/fuzzing.md): the HTTP/1 request head and body decoder ({@link RequestDecoder} with
 * {@link HeadLineEnds} and its chunk size reading) and the PROXY protocol header ({@link ProxyProtocolReader}), each
 * driven as a channel handler. Neither lets an exception out, both keep to their size limits, and the request decoder
 * reads the same requests whatever pieces the bytes arrive in.
 */
class WireParsersFuzzTest {

    /** Small limits, so that mutations reach them: a request line of at most 256 bytes, headers of 1 KiB. */
    private static final int MAX_LINE = 256;
    private static final int MAX_HEADERS = 1024;

    @Test
    void requestHeadsAndBodies() throws Exception {
        Fuzzer.target(getClass(), "http-request")
                .dictionary("GET ", "POST ", " HTTP/1.1", " HTTP/1.0", " HTTP/2.0", "\r\n", "\n", "\r", ": ", ":",
                        "Host", "Content-Length: ", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked",
                        "Connection: close", "Upgrade: h2c", "Expect: 100-continue", "0\r\n\r\n", ";ext=\"v\"",
                        "ffffffff",
                        "7fffffffffffffff", "10000000000000000", "-1", " ", "\t", "/", "%00", "?", "#")
                .generator(WireParsersFuzzTest::generatedRequest)
                // each input is decoded twice, and the build's paranoid leak detection records stack traces of
                // buffer reads on this thread
                .allocationLimit(length -> 8L * 1024 * 1024 + 2048L * length)
                .maxLength(16 * 1024)
                .run(input -> {
                    String whole = decode(input, new int[0]);
                    Random r = new Random(Arrays.hashCode(input));
                    int[] cuts = r.ints(1 + r.nextInt(8), 0, input.length + 1).sorted().toArray();
                    // the pieces a request arrives in change nothing but, at times, the reason for refusing it: a
                    // line both too long and malformed is refused for what the decoder sees first
                    assertThat(withoutCauses(decode(input, cuts))).isEqualTo(withoutCauses(whole));
                    return outcome(whole);
                });
    }

    /** The kinds of messages, each request's result and its refusal's exception. */
    private static String outcome(String decoded) {
        StringBuilder sb = new StringBuilder();
        for (String line : decoded.split("\n")) {
            String kind = line.split(" ", 2)[0];
            if (kind.equals("REQ") || kind.equals("END") || kind.equals("CHUNK") || kind.equals("BODY")) {
                int failure = line.lastIndexOf(" failure(");
                sb.append(kind).append(failure < 0 ? "" : line.substring(failure).replaceAll("[:)].*", "")).append(';');
            }
        }
        return sb.toString();
    }

    /**
     * Without the refusals' reasons, nor a refused body's chunk announcements: a size line refused before its end
     * arrived is announced from what came, and may have been refused for its end (a bare LF) when it came whole.
     */
    private static String withoutCauses(String decoded) {
        return decoded.replaceAll("failure\\(.*\\)", "failure")
                .replaceAll("(CHUNK [0-9]+\n)+(BODY [^\n]*\nEND [^\n]*failure)", "$2");
    }

    /** What the decoder made of {@code input} written in pieces cut at {@code cuts}, checking each request. */
    private static String decode(byte[] input, int[] cuts) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(UnpooledByteBufAllocator.DEFAULT);
        ch.pipeline().addLast(new RequestDecoder(MAX_LINE, MAX_HEADERS));
        StringBuilder out = new StringBuilder();
        StringBuilder body = new StringBuilder();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : input.length;
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, from, to)));
            from = to;
            read(ch, out, body);
        }
        ch.finish();
        read(ch, out, body);
        if (body.length() > 0) {
            out.append("BODY ").append(body).append('\n');
        }
        return out.toString();
    }

    private static void read(EmbeddedChannel ch, StringBuilder out, StringBuilder body) {
        Object m;
        while ((m = ch.readInbound()) != null) {
            try {
                if (m instanceof HttpRequest req) {
                    if (req.decoderResult().isSuccess()) {
                        assertThat(req.uri().length()).isLessThanOrEqualTo(MAX_LINE);
                        int headerBytes = 0;
                        for (Map.Entry<String, String> h : req.headers()) {
                            headerBytes += h.getKey().length() + h.getValue().length();
                        }
                        assertThat(headerBytes).isLessThanOrEqualTo(MAX_HEADERS);
                        assertThat(req.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                                && req.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)).isFalse();
                    }
                    out.append("REQ ").append(req.method()).append(' ').append(req.uri()).append(' ')
                            .append(req.protocolVersion()).append(' ').append(req.headers().entries()).append(' ')
                            .append(req.decoderResult()).append('\n');
                } else if (m instanceof RequestDecoder.ChunkStart start) {
                    out.append("CHUNK ").append(start.announced()).append('\n');
                } else if (m instanceof HttpContent content) {
                    body.append(content.content().toString(ISO_8859_1));
                    if (m instanceof LastHttpContent last) {
                        out.append("BODY ").append(body).append('\n');
                        body.setLength(0);
                        out.append("END ").append(last.trailingHeaders().entries()).append(' ')
                                .append(last.decoderResult()).append('\n');
                    } else if (!content.decoderResult().isSuccess()) {
                        out.append("BAD CONTENT ").append(content.decoderResult()).append('\n');
                    }
                } else {
                    throw new AssertionError("unexpected message " + m);
                }
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
    }

    /** A request from the usual pieces, a chunked body at times. */
    private static byte[] generatedRequest(Fuzzer f, Random r) {
        String[] methods = {"GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "get"};
        StringBuilder sb = new StringBuilder(methods[r.nextInt(methods.length)]).append(" /");
        for (int i = r.nextInt(20); i > 0; i--) {
            sb.append((char) (0x21 + r.nextInt(0x5e)));
        }
        sb.append(r.nextInt(5) == 0 ? " HTTP/1.0" : " HTTP/1.1").append(r.nextBoolean() ? "\r\n" : "\n");
        boolean chunked = r.nextBoolean();
        for (int i = r.nextInt(6); i > 0; i--) {
            sb.append("X-H").append(r.nextInt(10)).append(": ").append("v".repeat(r.nextInt(300))).append("\r\n");
        }
        sb.append("Host: h\r\n").append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 3\r\n")
                .append("\r\n");
        if (chunked) {
            for (int i = r.nextInt(4); i > 0; i--) {
                int size = r.nextInt(40);
                sb.append(Integer.toHexString(size)).append(r.nextBoolean() ? ";a=b" : "").append("\r\n")
                        .append("x".repeat(size)).append("\r\n");
            }
            sb.append("0\r\n").append(r.nextBoolean() ? "T: v\r\n" : "").append("\r\n");
        } else {
            sb.append("abc");
        }
        byte[] b = sb.toString().getBytes(ISO_8859_1);
        return r.nextBoolean() ? b : f.mutate(r, b);
    }

    /** The connection log, taken off the console while the PROXY target runs: each broken header writes one line. */
    private static final Logger HTTP_LOG = (Logger) LoggerFactory.getLogger("jwtgate.http");
    private static final ListAppender<ILoggingEvent> LINES = new ListAppender<>();

    @Test
    void proxyProtocolHeader() throws Exception {
        LINES.start();
        HTTP_LOG.addAppender(LINES);
        HTTP_LOG.setAdditive(false);
        try {
            fuzzProxyProtocolHeader();
        } finally {
            HTTP_LOG.setAdditive(true);
            HTTP_LOG.detachAppender(LINES);
        }
    }

    private void fuzzProxyProtocolHeader() throws Exception {
        Fuzzer.target(getClass(), "proxy-protocol")
                .dictionary("PROXY ", "TCP4 ", "TCP6 ", "UNKNOWN", "\r\n", " ", "127.0.0.1", "::1", "ffff:", "65535",
                        "65536", "\r\n\r\n\u0000\r\nQUIT\n", "\u0021\u0011", "\u0021\u0021", "\u0020", "\u0000\u000c",
                        "\u0000\u0024", "\u00ff\u00ff")
                .allocationLimit(length -> 4L * 1024 * 1024 + 256L * length)
                .maxLength(4096)
                .run(WireParsersFuzzTest::readProxyHeader);
    }

    private static String readProxyHeader(byte[] input) throws Exception {
        for (boolean tls : new boolean[] {false, true}) {
            LINES.list.clear();
            AtomicReference<ProxyProtocolAddresses> given = new AtomicReference<>();
            boolean[] called = new boolean[1];
            EmbeddedChannel ch = new EmbeddedChannel();
            ch.config().setAllocator(UnpooledByteBufAllocator.DEFAULT);
            ch.pipeline().addLast(new ProxyProtocolReader(tls, a -> {
                called[0] = true;
                given.set(a);
            }, "127.0.0.1:80"));
            ch.writeInbound(Unpooled.wrappedBuffer(input));
            List<byte[]> passedOn = new ArrayList<>();
            ByteBuf b;
            while ((b = ch.readInbound()) != null) {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                passedOn.add(bytes);
            }
            boolean open = ch.isOpen();
            ch.finishAndReleaseAll();
            int limit = tls ? ProxyProtocolHeader.TLS_READ_LIMIT : ProxyProtocolHeader.PLAIN_READ_LIMIT;
            ProxyProtocolHeader.Outcome outcome = ProxyProtocolHeader.read(Arrays.copyOf(input,
                    Math.min(input.length, limit)));
            if (outcome instanceof ProxyProtocolHeader.Broken broken) {
                assertThat(open).isFalse();
                assertThat(called[0]).isFalse();
                assertThat(broken.message()).hasSizeLessThan(64 + 4 * limit);
                // one error line, on one line
                assertThat(LINES.list).hasSize(1);
                assertThat(LINES.list.get(0).getLevel()).isEqualTo(Level.ERROR);
                assertThat(LINES.list.get(0).getFormattedMessage()).doesNotContain("\n", "\r");
                if (!tls) {
                    continue;
                }
                return "broken " + broken.message().replaceAll("\".*\"", "S").replaceAll("[0-9]+", "N");
            }
            ProxyProtocolHeader.Header header = (ProxyProtocolHeader.Header) outcome;
            assertThat(LINES.list).isEmpty();
            assertThat(open).isTrue();
            assertThat(called[0]).isTrue();
            assertThat(header.length()).isBetween(1, Math.min(input.length, limit));
            // what follows the header is passed on untouched
            byte[] rest = Arrays.copyOfRange(input, header.length(), input.length);
            byte[] joined = passedOn.stream().reduce(new byte[0], WireParsersFuzzTest::concat);
            assertThat(joined).isEqualTo(rest);
            ProxyProtocolAddresses a = given.get();
            if (a != null) {
                assertThat(a.sourcePort()).isBetween(0, 65535);
                assertThat(a.destinationPort()).isBetween(0, 65535);
                if (input[0] != 'P') {
                    // v2: the address written as nginx writes it reads back as the bytes sent
                    int family = (input[13] & 0xff) >> 4;
                    int n = family == 1 ? 4 : 16;
                    assertThat(InetAddress.getByName(a.sourceAddress()))
                            .isEqualTo(InetAddress.getByAddress(Arrays.copyOfRange(input, 16, 16 + n)));
                    assertThat(InetAddress.getByName(a.destinationAddress()))
                            .isEqualTo(InetAddress.getByAddress(Arrays.copyOfRange(input, 16 + n, 16 + 2 * n)));
                } else {
                    assertThat(a.sourceAddress() + a.destinationAddress()).matches("[0-9a-fA-F:.]+");
                }
            }
            if (tls) {
                return "header " + (a == null ? "without addresses" : "v" + (input[0] == 'P' ? 1 : 2));
            }
        }
        throw new AssertionError("not reached");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
