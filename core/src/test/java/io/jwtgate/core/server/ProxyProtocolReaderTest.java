package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PROXY protocol reader in a pipeline: the header taken from the first read however many buffers it came in,
 * the bytes after it passed on, a header cut across reads refused with the connection closed, and every buffer
 * released (paranoid leak detection; {@code finishAndReleaseAll} finds nothing left).
 */
class ProxyProtocolReaderTest {

    static final String HEADER = "PROXY TCP6 2001:db8::1 ::1 56324 443\r\n";
    static final String REQUEST = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    /** What reached the handler after the reader. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        final StringBuilder bytes = new StringBuilder();
        int readCompletes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            bytes.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readCompletes++;
        }
    }

    final List<ProxyProtocolAddresses> given = new ArrayList<>();
    Sink sink;

    /** A channel with a new reader and {@link #sink}. */
    private EmbeddedChannel channel(boolean tls) {
        sink = new Sink();
        return new EmbeddedChannel(new ProxyProtocolReader(tls, given::add, "127.0.0.1:80"), sink);
    }

    @Test
    void oneReadInAnyNumberOfBuffers() {
        String wire = HEADER + REQUEST;
        for (int cut = 0; cut <= wire.length(); cut++) {
            given.clear();
            EmbeddedChannel ch = channel(false);
            ch.writeInbound(ascii(wire.substring(0, cut)), ascii(wire.substring(cut)));
            assertThat(given).as("cut at %d", cut)
                    .containsExactly(new ProxyProtocolAddresses("2001:db8::1", 56324, "::1", 443));
            assertThat(sink.bytes).as("cut at %d", cut).hasToString(REQUEST);
            assertThat(ch.pipeline().get(ProxyProtocolReader.class)).isNull();
            assertThat(ch.isOpen()).isTrue();
            ch.writeInbound(ascii("more"));
            assertThat(sink.bytes).hasToString(REQUEST + "more");
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void aHeaderCutAcrossReadsIsBroken() {
        for (int cut = 1; cut < HEADER.length(); cut++) {
            EmbeddedChannel ch = channel(false);
            ch.writeInbound(ascii(HEADER.substring(0, cut)));
            assertThat(ch.isOpen()).as("cut at %d", cut).isFalse();
            assertThat(given).isEmpty();
            assertThat(sink.bytes).isEmpty();
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void aHeaderAloneWaitsForTheRequest() {
        EmbeddedChannel ch = channel(false);
        ch.writeInbound(ascii("PROXY UNKNOWN\r\n"));
        assertThat(given).containsExactly((ProxyProtocolAddresses) null);
        assertThat(sink.bytes).isEmpty();
        assertThat(sink.readCompletes).isEqualTo(1); // the connection reads on
        ch.writeInbound(ascii(REQUEST));
        assertThat(sink.bytes).hasToString(REQUEST);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void tlsListenersLookAtTheFirst108Bytes() {
        // "PROXY TCP4 " and an address of 97 characters: the space after it is byte 109
        String header = "PROXY TCP4 " + "1".repeat(97) + " 2.2.2.2 1 2\r\n";
        EmbeddedChannel tls = channel(true);
        tls.writeInbound(ascii(header));
        assertThat(tls.isOpen()).isFalse();
        assertThat(tls.finishAndReleaseAll()).isFalse();
        EmbeddedChannel plain = channel(false);
        plain.writeInbound(ascii(header));
        assertThat(plain.isOpen()).isTrue();
        assertThat(given).extracting(ProxyProtocolAddresses::sourceAddress).containsExactly("1".repeat(97));
        assertThat(plain.finishAndReleaseAll()).isFalse();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
