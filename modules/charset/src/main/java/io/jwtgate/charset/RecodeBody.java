package io.jwtgate.charset;

import io.jwtgate.core.http.BodyFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Recodes one response body between two charsets through a {@code charset_map} ({@link Recoding}), piece by piece
 * as it streams, never holding the body: each poll gives at most {@value #OUT} bytes (docs/charset.md#recoding).
 */
final class RecodeBody implements BodyFilter {

    /** The size of one output buffer. */
    static final int OUT = 16 * 1024;

    private final Recoding recoding;
    private final Recoding.State state = new Recoding.State();
    private ByteBuf in;
    private boolean last;

    RecodeBody(Recoding recoding) {
        this.recoding = recoding;
    }

    @Override
    public void offer(ByteBuf piece, boolean end) {
        in = piece;
        last = end;
        recoding.start(piece, state);
    }

    @Override
    public ByteBuf poll(ByteBufAllocator alloc) {
        if (in == null) {
            return null;
        }
        if (!in.isReadable() && (state.length == 0 || !last)) {
            releaseInput();
            return null;
        }
        ByteBuf out = alloc.buffer(OUT);
        recoding.recode(in, out, state, last);
        if (!in.isReadable() && (state.length == 0 || !last)) {
            releaseInput();
        }
        if (!out.isReadable()) {
            out.release();
            return null;
        }
        return out;
    }

    private void releaseInput() {
        if (in != null) {
            in.release();
            in = null;
        }
    }

    @Override
    public void close() {
        releaseInput();
    }
}
