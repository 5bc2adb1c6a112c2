package io.jwtgate.charset;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.function.IntUnaryOperator;

/**
 * One direction of a {@code charset_map}, as nginx's charset body filter applies it: byte for byte
 * ({@code ngx_http_charset_recode}), a one-byte charset to UTF-8 ({@code ngx_http_charset_recode_to_utf8}), or
 * UTF-8 to a one-byte charset ({@code ngx_http_charset_recode_from_utf8}). Each recodes as much of the input as
 * fits the output, keeping what it needs between pieces in a {@link State} (docs/charset.md#recoding).
 */
sealed interface Recoding permits Recoding.Bytes, Recoding.ToUtf8, Recoding.FromUtf8 {

    /** The most one step writes: a character as an HTML entity, {@code &#1114111;}. */
    int MAX_STEP = 10;

    /** Whether the body's length may change (UTF-8 on either side): then the response loses its length. */
    boolean changesLength();

    /** Called with each piece of the body before it is recoded. */
    default void start(ByteBuf in, State state) {
    }

    /**
     * Recodes from {@code in} into {@code out} while {@code out} has room for {@link #MAX_STEP} bytes and there is
     * input; an incomplete character at the end of {@code in} goes into {@code state}, and is dropped at the end of
     * the body ({@code last}), as nginx drops it.
     */
    void recode(ByteBuf in, ByteBuf out, State state, boolean last);

    /** What one body's recoding keeps between pieces and steps. */
    final class State {
        /** Bytes of an incomplete UTF-8 character kept from the previous piece: at most three. */
        final byte[] bytes = new byte[3];
        int length;
        /** Bytes at the start of the current piece that pass as they are. */
        int raw;
    }

    /** A one-byte charset to another: every byte through the table. */
    record Bytes(byte[] table) implements Recoding {

        @Override
        public boolean changesLength() {
            return false;
        }

        @Override
        public void recode(ByteBuf in, ByteBuf out, State state, boolean last) {
            int n = Math.min(in.readableBytes(), out.writableBytes());
            for (int i = 0; i < n; i++) {
                out.writeByte(table[in.readUnsignedByte()]);
            }
        }
    }

    /**
     * A one-byte charset to UTF-8: every byte to the bytes of its character. As nginx's
     * {@code ngx_http_charset_recode_to_utf8}, a piece recodes only from its first byte that the map gives as
     * several bytes: a piece without one passes as it is (its unmapped bytes from 0x80 too, which otherwise become
     * {@code ?}), and where that byte comes after the first 512, the bytes before it pass as they are.
     */
    record ToUtf8(byte[][] table) implements Recoding {

        /** nginx's threshold under which it recodes a piece from its start. */
        private static final int RAW_PREFIX = 512;

        @Override
        public boolean changesLength() {
            return true;
        }

        @Override
        public void start(ByteBuf in, State state) {
            int from = in.readerIndex();
            int end = in.writerIndex();
            int i = from;
            while (i < end && table[in.getUnsignedByte(i)].length == 1) {
                i++;
            }
            state.raw = i == end || i - from > RAW_PREFIX ? i - from : 0;
        }

        @Override
        public void recode(ByteBuf in, ByteBuf out, State state, boolean last) {
            int raw = Math.min(state.raw, out.writableBytes());
            out.writeBytes(in, raw);
            state.raw -= raw;
            while (state.raw == 0 && in.isReadable() && out.writableBytes() >= MAX_STEP) {
                out.writeBytes(table[in.readUnsignedByte()]);
            }
        }
    }

    /**
     * UTF-8 to a one-byte charset: a character the table maps becomes its byte, any other one {@code &#N;} (as
     * nginx writes it, in decimal), a malformed sequence {@code ?}; bytes below 0x80 stay as they are.
     *
     * @param table the byte of each character, by the character's high byte then its low byte; 0 where none
     */
    record FromUtf8(byte[][] table) implements Recoding {

        /** The character's bits of {@link #decode}'s answer. */
        static final long VALUE = 0xffff_ffffL;
        static final long INVALID = 0xffff_ffffL;
        static final long INCOMPLETE = 0xffff_fffeL;

        @Override
        public boolean changesLength() {
            return true;
        }

        @Override
        public void recode(ByteBuf in, ByteBuf out, State state, boolean last) {
            IntUnaryOperator at = i -> i < state.length ? state.bytes[i] & 0xff
                    : in.getUnsignedByte(in.readerIndex() + i - state.length);
            while (out.writableBytes() >= MAX_STEP) {
                int available = state.length + in.readableBytes();
                if (available == 0) {
                    return;
                }
                int first = at.applyAsInt(0);
                if (first < 0x80) {
                    out.writeByte(first);
                    consume(in, state, 1);
                    continue;
                }
                long d = decode(at, available);
                long n = d & VALUE;
                if (n == INCOMPLETE) {
                    int rest = in.readableBytes();
                    if (!last) {
                        in.readBytes(state.bytes, state.length, rest);
                        state.length += rest;
                    } else {
                        in.skipBytes(rest);
                        state.length = 0;
                    }
                    return;
                }
                consume(in, state, (int) (d >>> 32));
                write(out, n);
            }
        }

        private void write(ByteBuf out, long n) {
            if (n < 0x10000) {
                byte[] row = table[(int) (n >> 8)];
                byte c = row == null ? 0 : row[(int) (n & 0xff)];
                if (c != 0) {
                    out.writeByte(c);
                    return;
                }
            } else if (n > 0x10ffff) {
                out.writeByte('?');
                return;
            }
            out.writeCharSequence("&#" + n + ";", StandardCharsets.US_ASCII);
        }

        /** Takes {@code k} bytes: the carried ones first, then the input's. */
        private static void consume(ByteBuf in, State state, int k) {
            if (k >= state.length) {
                in.skipBytes(k - state.length);
                state.length = 0;
            } else {
                System.arraycopy(state.bytes, k, state.bytes, 0, state.length - k);
                state.length -= k;
            }
        }

        /**
         * nginx's {@code ngx_utf8_decode} of the bytes {@code at(0)} to {@code at(available - 1)}: the character,
         * {@link #INVALID} or {@link #INCOMPLETE} in the low 32 bits, the number of bytes read above them. As
         * nginx: a lead byte below 0xc2 is one invalid byte; a byte below 0x80 where a continuation should be ends
         * the sequence as invalid, read with it; an overlong form is invalid; nothing is read of an incomplete one.
         */
        static long decode(IntUnaryOperator at, int available) {
            int u = at.applyAsInt(0);
            int len;
            int valid;
            if (u >= 0xf0) {
                u &= 0x07;
                valid = 0xffff;
                len = 3;
            } else if (u >= 0xe0) {
                u &= 0x0f;
                valid = 0x7ff;
                len = 2;
            } else if (u >= 0xc2) {
                u &= 0x1f;
                valid = 0x7f;
                len = 1;
            } else {
                return 1L << 32 | INVALID;
            }
            if (available - 1 < len) {
                return INCOMPLETE;
            }
            int k = 1;
            while (len-- > 0) {
                int i = at.applyAsInt(k++);
                if (i < 0x80) {
                    return (long) k << 32 | INVALID;
                }
                u = u << 6 | i & 0x3f;
            }
            return (long) k << 32 | (u > valid ? u : INVALID);
        }
    }
}
