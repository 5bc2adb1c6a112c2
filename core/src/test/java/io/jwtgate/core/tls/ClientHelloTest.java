package io.jwtgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** A ClientHello's offer as nginx names it, and what a truncated or malformed one leaves: empty, no exception. */
class ClientHelloTest {

    /** client_version, random, a 2-byte session id, three suites, one compression method, then extensions. */
    private static ByteBuf hello(byte[] extensions) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(0x0303).writeZero(32);
        b.writeByte(2).writeShort(0xabcd);
        b.writeShort(6).writeShort(0x1301).writeShort(0xc02f).writeShort(0x0a0a);
        b.writeByte(1).writeByte(0);
        b.writeShort(extensions.length).writeBytes(extensions);
        return b;
    }

    @Test
    void namesKnownCodesAndHexForUnknownOnes() {
        // server_name (empty), then supported_groups: GREASE, X25519, secp256r1, ffdhe2048
        byte[] ext = {0, 0, 0, 0, 0, 10, 0, 10, 0, 8, 0x1a, 0x1a, 0, 0x1d, 0, 0x17, 1, 0};
        ByteBuf b = hello(ext);
        int index = b.readerIndex();
        ClientHello h = ClientHello.parse(b);
        assertThat(h.ciphers()).isEqualTo("TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:0x0a0a");
        assertThat(h.curves()).isEqualTo("0x1a1a:X25519:prime256v1:ffdhe2048");
        assertThat(b.readerIndex()).isEqualTo(index);
    }

    @Test
    void truncatedOrMalformedLeavesWhatIsMissingEmpty() {
        byte[] ext = {0, 10, 0, 4, 0, 2, 0, 0x1d};
        ByteBuf whole = hello(ext);
        for (int length = 0; length < whole.readableBytes(); length++) {
            ClientHello h = ClientHello.parse(whole.slice(0, length));
            assertThat(h.curves()).as("%d bytes", length).isEmpty();
            assertThat(h.ciphers()).as("%d bytes", length).isIn("",
                    "TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:0x0a0a");
        }
        assertThat(ClientHello.parse(whole).curves()).isEqualTo("X25519");
        // a group list longer than its extension
        assertThat(ClientHello.parse(hello(new byte[] {0, 10, 0, 4, 0, 9, 0, 0x1d})).curves()).isEmpty();
    }
}
