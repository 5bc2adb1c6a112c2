package io.jwtgate.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The buffered way of sending a part of a file ({@link Downstream#sendFile}): read in chunks on {@link DiskIo}'s
 * threads into direct buffers of Netty's allocator, each passed to {@link Downstream#sendBody} on the event loop, and
 * the next chunk read only once the previous one was written, so that a slow client holds one chunk, not the file.
 * Used under TLS, with {@code sendfile off}, in subrequests, and where a body filter must see the bytes.
 */
final class FileChunks {

    /** Bytes read per chunk: two of nginx's default {@code output_buffers 2 32k}. */
    static final int CHUNK = 64 * 1024;

    private final Downstream downstream;
    private final FileChannel file;
    private final Promise<Void> done;
    private long position;
    private long remaining;

    private FileChunks(Downstream downstream, FileChannel file, long position, long count) {
        this.downstream = downstream;
        this.file = file;
        this.position = position;
        this.remaining = count;
        this.done = downstream.loop().newPromise();
    }

    static Future<Void> send(Downstream downstream, FileChannel file, long position, long count) {
        FileChunks chunks = new FileChunks(downstream, file, position, count);
        chunks.readNext();
        return chunks.done;
    }

    private void readNext() {
        if (remaining == 0) {
            done.setSuccess(null);
            return;
        }
        int length = (int) Math.min(CHUNK, remaining);
        long at = position;
        DiskIo.executor().execute(() -> {
            ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(length);
            try {
                while (buf.isWritable()) {
                    if (buf.writeBytes(file, at + buf.readableBytes(), buf.writableBytes()) < 0) {
                        throw new EOFException("file shrank while it was sent");
                    }
                }
            } catch (IOException | RuntimeException e) {
                buf.release();
                downstream.loop().execute(() -> done.tryFailure(e));
                return;
            }
            downstream.loop().execute(() -> write(buf));
        });
    }

    private void write(ByteBuf buf) {
        position += buf.readableBytes();
        remaining -= buf.readableBytes();
        downstream.sendBody(new DefaultHttpContent(buf)).addListener(f -> {
            if (f.isSuccess()) {
                readNext();
            } else {
                done.tryFailure(f.cause());
            }
        });
    }
}
