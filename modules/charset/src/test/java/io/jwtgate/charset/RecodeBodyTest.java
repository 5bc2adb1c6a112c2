package io.jwtgate.charset;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.conf.ConfDirective;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RecodeBody} fed a body in pieces split at every point: the output does not depend on where the pieces
 * end (a UTF-8 character split between two pieces included), every buffer is released, and nginx's per-piece rule
 * for a one-byte charset to UTF-8 holds. nginx's output for whole bodies is compared in
 * {@code CharsetRecodingDifferentialTest}.
 */
class RecodeBodyTest {

    /** Counts what is still allocated: every buffer the test and the filter made must be released. */
    static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false, true);

    static CharsetMap map(String from, String to, String... lines) throws Exception {
        List<ConfDirective> block = new ArrayList<>();
        for (String line : lines) {
            String[] w = line.split(" ");
            block.add(new ConfDirective(w[0], List.of(w[1]), null, "test", 1));
        }
        return CharsetMap.parse(new ConfDirective("charset_map", List.of(from, to), block, "test", 1));
    }

    static final byte[] UTF = ("Hi \u0430\u0431\u0432 \u0416 \u2713 \ud83d\ude00 " + "x".repeat(40))
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void fromUtf8DoesNotDependOnWherePiecesEnd() throws Exception {
        Recoding r = map("koi8-r", "utf-8", "C1 D0B0", "C2 D0B1", "D7 D0B2").backward();
        byte[] body = concat(UTF, new byte[] {(byte) 0xC3, 'A', (byte) 0xE2, (byte) 0x82});
        byte[] whole = recode(r, body);
        assertThat(new String(whole, StandardCharsets.ISO_8859_1)).startsWith("Hi \u00c1\u00c2\u00d7 &#1046; &#10003; "
                + "&#128512; x").endsWith("x?");
        for (int a = 0; a <= body.length; a++) {
            for (int b = a; b <= body.length; b++) {
                assertThat(recode(r, body, a, b)).as("split at %d and %d", a, b).isEqualTo(whole);
            }
        }
    }

    @Test
    void oneByteTablesBothWays() throws Exception {
        CharsetMap m = map("koi8-r", "windows-1251", "C1 E0", "C2 E1", "41 42");
        byte[] koi = {'A', (byte) 0xC1, (byte) 0xC2, (byte) 0xFF, 'z'};
        assertThat(recode(m.forward(), koi)).containsExactly('B', 0xE0, 0xE1, '?', 'z');
        assertThat(recode(m.backward(), new byte[] {'A', 'B', (byte) 0xE0, (byte) 0xE1, (byte) 0x80}))
                .containsExactly('A', 'A', 0xC1, 0xC2, '?');
    }

    @Test
    void toUtf8RecodesAPieceOnlyFromItsFirstMappedByte() throws Exception {
        Recoding r = map("koi8-r", "utf-8", "C1 D0B0").forward();
        // no mapped byte: the piece passes as it is, 0xFF included
        assertThat(recode(r, new byte[] {'a', (byte) 0xFF})).containsExactly('a', 0xFF);
        // a mapped byte early: the whole piece is recoded, 0xFF becomes ?
        assertThat(recode(r, new byte[] {(byte) 0xFF, (byte) 0xC1})).containsExactly('?', 0xD0, 0xB0);
        // a mapped byte after the first 512: the bytes before it pass as they are
        byte[] late = new byte[600];
        late[0] = (byte) 0xFF;
        late[599] = (byte) 0xC1;
        byte[] out = recode(r, late);
        assertThat(out).hasSize(601);
        assertThat(out[0]).isEqualTo((byte) 0xFF);
        assertThat(out[599]).isEqualTo((byte) 0xD0);
    }

    static byte[] recode(Recoding r, byte[] body) {
        return recode(r, body, body.length, body.length);
    }

    /** The output of {@code body} offered as three pieces: up to {@code a}, up to {@code b}, the rest. */
    static byte[] recode(Recoding r, byte[] body, int a, int b) {
        RecodeBody f = new RecodeBody(r);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] ends = {a, b, body.length};
        int from = 0;
        for (int i = 0; i < ends.length; i++) {
            ByteBuf piece = ALLOC.buffer(ends[i] - from + 1).writeBytes(body, from, ends[i] - from);
            from = ends[i];
            f.offer(piece, i == ends.length - 1);
            for (ByteBuf o = f.poll(ALLOC); o != null; o = f.poll(ALLOC)) {
                byte[] bytes = new byte[o.readableBytes()];
                o.readBytes(bytes);
                o.release();
                out.writeBytes(bytes);
            }
        }
        f.close();
        assertThat(((UnpooledByteBufAllocator) ALLOC).metric().usedHeapMemory()).isZero();
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteBuf all = Unpooled.wrappedBuffer(a, b);
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        return out;
    }
}
