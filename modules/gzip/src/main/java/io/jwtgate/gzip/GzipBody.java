package io.jwtgate.gzip;

import io.jwtgate.core.http.BodyFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses one response body into the gzip format as nginx writes it: a 10-byte header (no name, no time, OS
 * Unix), the deflate stream of the JDK's {@link Deflater} at {@code gzip_comp_level}, and the CRC-32 and length. Each
 * piece is compressed as it comes (zlib's {@code Z_NO_FLUSH}, as nginx compresses a buffered proxy response), so
 * the body is never held whole; the deflater's native memory is freed at the end of the body or in {@link #close},
 * whichever comes first.
 */
public final class GzipBody implements BodyFilter {

    /** The size of one output buffer, nginx's default {@code gzip_buffers 32 4k} put together in fewer pieces. */
    static final int OUT = 16 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, 3};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private ByteBuf in;
    private boolean last;
    private boolean headerWritten;
    private boolean done;

    /** A compressor at {@code level}, 1-9 ({@code gzip_comp_level}). */
    public GzipBody(int level) {
        deflater = new Deflater(level, true);
    }

    @Override
    public void offer(ByteBuf piece, boolean end) {
        in = piece;
        last = end;
        if (piece.isReadable()) {
            crc.update(piece.nioBuffer());
            deflater.setInput(piece.nioBuffer());
        }
        if (end) {
            deflater.finish();
        }
    }

    @Override
    public ByteBuf poll(ByteBufAllocator alloc) {
        if (done || in == null) {
            return null;
        }
        ByteBuf out = alloc.buffer(OUT);
        if (!headerWritten) {
            headerWritten = true;
            out.writeBytes(HEADER);
        }
        while (out.isWritable()) {
            if (!last && deflater.needsInput()) {
                releaseInput();
                break;
            }
            int n = deflater.deflate(out.nioBuffer(out.writerIndex(), out.writableBytes()), Deflater.NO_FLUSH);
            out.writerIndex(out.writerIndex() + n);
            if (deflater.finished()) {
                if (out.writableBytes() < 8) {
                    break; // the trailer goes into the next buffer
                }
                out.writeIntLE((int) crc.getValue());
                out.writeIntLE((int) deflater.getBytesRead());
                close();
                break;
            }
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
        if (!done) {
            done = true;
            deflater.end();
        }
        releaseInput();
    }
}
