package io.jwtgate.gzip;

import io.jwtgate.core.http.BodyFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses one gzipped response body, as nginx's gunzip filter with zlib: gzip members one after the other (a
 * member's header, its deflate stream, the CRC-32 and length, which are checked), each piece as it comes. One poll
 * gives at most {@link #OUT} bytes, so a small piece that inflates to gigabytes (a gzip bomb) is given out one
 * buffer at a time, as fast as the client takes them. Corrupt data, or a body that ends inside a member, fails the
 * response as nginx's {@code inflate() failed} and {@code inflate() returned ... on response end} do: the client gets
 * a cut-off body and a closed connection.
 */
final class GunzipBody implements BodyFilter {

    static final int OUT = 32 * 1024;

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    /** Where in a member the next input byte belongs. */
    private enum State { FIXED, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DATA, TRAILER }

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[10];
    private State state = State.FIXED;
    /** Bytes of the current header or trailer field read so far, or left to skip. */
    private int got;
    private int flags;
    private int skip;
    /** Whether the input so far ends exactly after a whole member. */
    private boolean memberEnd;
    private ByteBuf in;
    private boolean last;
    private boolean closed;

    @Override
    public void offer(ByteBuf piece, boolean end) {
        in = piece;
        last = end;
    }

    @Override
    public ByteBuf poll(ByteBufAllocator alloc) throws Failure {
        if (closed || in == null) {
            return null;
        }
        ByteBuf out = null;
        try {
            while (true) {
                if (state != State.DATA) {
                    header();
                    if (state != State.DATA) {
                        break; // the piece ended inside a header or trailer
                    }
                    continue;
                }
                if (out == null) {
                    out = alloc.buffer(OUT);
                }
                if (!out.isWritable()) {
                    return out;
                }
                if (inflater.needsInput()) {
                    if (!in.isReadable()) {
                        break;
                    }
                    inflater.setInput(in.nioBuffer());
                }
                int before = in.readerIndex();
                int written = out.writerIndex();
                int remainingBefore = inflater.getRemaining();
                int n = inflater.inflate(out.nioBuffer(written, out.writableBytes()));
                crc.update(out.nioBuffer(written, n));
                out.writerIndex(written + n);
                in.readerIndex(before + remainingBefore - inflater.getRemaining());
                if (inflater.finished()) {
                    state = State.TRAILER;
                    got = 0;
                } else if (n == 0 && inflater.needsInput() && !in.isReadable()) {
                    break;
                } else if (n == 0 && inflater.needsDictionary()) {
                    throw new Failure("inflate() failed: a preset dictionary is needed");
                }
            }
        } catch (DataFormatException e) {
            release(out);
            throw new Failure("inflate() failed: " + e.getMessage());
        } catch (Failure e) {
            release(out);
            throw e;
        }
        // the piece is used up
        in.release();
        in = null;
        if (last && !memberEnd) {
            release(out);
            throw new Failure("inflate() returned an incomplete stream on response end");
        }
        if (out != null && !out.isReadable()) {
            out.release();
            return null;
        }
        return out;
    }

    /** Reads header or trailer bytes of the current member from the input, as far as they go. */
    private void header() throws Failure {
        while (state != State.DATA && in.isReadable()) {
            memberEnd = false;
            int b = in.readUnsignedByte();
            switch (state) {
                case FIXED -> {
                    scratch[got++] = (byte) b;
                    if (got == 3 && ((scratch[0] & 0xff) != 0x1f || (scratch[1] & 0xff) != 0x8b || b != 8)) {
                        throw new Failure("inflate() failed: incorrect header check");
                    }
                    if (got == 10) {
                        flags = scratch[3];
                        got = 0;
                        nextField(State.EXTRA_LENGTH);
                    }
                }
                case EXTRA_LENGTH -> {
                    skip |= b << 8 * got++;
                    if (got == 2) {
                        if (skip > 0) {
                            state = State.EXTRA;
                        } else {
                            nextField(State.NAME);
                        }
                    }
                }
                case EXTRA -> {
                    if (--skip == 0) {
                        nextField(State.NAME);
                    }
                }
                case NAME -> {
                    if (b == 0) {
                        nextField(State.COMMENT);
                    }
                }
                case COMMENT -> {
                    if (b == 0) {
                        nextField(State.HEADER_CRC);
                    }
                }
                case HEADER_CRC -> {
                    if (++got == 2) {
                        nextField(State.DATA);
                    }
                }
                case TRAILER -> trailer(b);
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }

    /** Moves to {@code field}, or past it to the next one the header has, per its flags. */
    private void nextField(State field) {
        got = 0;
        skip = 0;
        State s = field;
        if (s == State.EXTRA_LENGTH && (flags & FEXTRA) == 0) {
            s = State.NAME;
        }
        if (s == State.NAME && (flags & FNAME) == 0) {
            s = State.COMMENT;
        }
        if (s == State.COMMENT && (flags & FCOMMENT) == 0) {
            s = State.HEADER_CRC;
        }
        if (s == State.HEADER_CRC && (flags & FHCRC) == 0) {
            s = State.DATA;
        }
        state = s;
    }

    private void trailer(int b) throws Failure {
        scratch[got++] = (byte) b;
        if (got < 8) {
            return;
        }
        long sum = (scratch[0] & 0xffL) | (scratch[1] & 0xffL) << 8 | (scratch[2] & 0xffL) << 16
                | (scratch[3] & 0xffL) << 24;
        long size = (scratch[4] & 0xffL) | (scratch[5] & 0xffL) << 8 | (scratch[6] & 0xffL) << 16
                | (scratch[7] & 0xffL) << 24;
        if (sum != crc.getValue()) {
            throw new Failure("inflate() failed: incorrect data check");
        }
        if (size != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new Failure("inflate() failed: incorrect length check");
        }
        // another member may follow, as zlib's inflateReset lets nginx read on
        inflater.reset();
        crc.reset();
        got = 0;
        state = State.FIXED;
        memberEnd = true;
    }

    private static void release(ByteBuf b) {
        if (b != null) {
            b.release();
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inflater.end();
        }
        if (in != null) {
            in.release();
            in = null;
        }
    }
}
