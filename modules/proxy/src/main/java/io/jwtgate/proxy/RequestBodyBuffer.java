package io.jwtgate.proxy;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.ErrorContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code proxy_request_buffering on}: reads the client's whole body before the upstream is connected, into memory
 * up to {@code client_body_buffer_size}, else (or always, with {@code client_body_in_file_only}) into a temporary
 * file in {@code client_body_temp_path}, written on the {@link TempFiles} executor. The next piece is asked from the
 * client only after the previous one was stored, so a slow disk slows the client down. Once complete, the body can
 * be sent any number of times ({@link #replay}): to the next peer after a failure, with a {@code Content-Length}
 * even when the client sent it chunked. The file is removed when the request ends ({@link #close()}), unless
 * {@code client_body_in_file_only on} keeps it.
 *
 * <p>Lives on the client's event loop only; owns the stored body.
 */
final class RequestBodyBuffer implements BodyReader {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");
    /** The most sent from the file at once. */
    private static final int READ_CHUNK = 64 * 1024;

    private final ProxyRequest r;
    private final BufferingConf conf;
    private final TempFiles files;

    /** The body in memory, while it fits. */
    private ByteBuf memory = Unpooled.EMPTY_BUFFER;
    private TempFiles.TempFile file;
    private long length;
    private Runnable whenComplete;
    private boolean complete;
    private boolean closed;

    RequestBodyBuffer(ProxyRequest r, BufferingConf conf, TempFiles files) {
        this.r = r;
        this.conf = conf;
        this.files = files;
    }

    /** Reads the whole body, then runs {@code then}; a failure ends the request as the body reader's errors do. */
    void read(Runnable then) {
        whenComplete = then;
        r.x.readBody(this);
    }

    /** The body's length; known once it is complete. */
    long length() {
        return length;
    }

    /** {@code $request_body}: the body when it is complete and in memory, else {@code null} (nginx: not found). */
    String text() {
        if (!complete || closed || file != null) {
            return null;
        }
        return WireText.ofBytes(ByteBufUtil.getBytes(memory));
    }

    /** {@code $request_body_file}: the temporary file's name, or {@code null}. */
    String fileName() {
        return file == null || closed ? null : file.path.toString();
    }

    @Override
    public void onBody(HttpContent content, boolean last) {
        ByteBuf data = content.content();
        if (closed) {
            data.release();
            return;
        }
        length += data.readableBytes();
        if (file == null && conf.bodyInFile() == BufferingConf.InFile.OFF && length <= conf.bodyBufferSize()) {
            if (data.isReadable()) {
                if (memory == Unpooled.EMPTY_BUFFER) {
                    memory = PooledByteBufAllocator.DEFAULT.heapBuffer(
                            (int) Math.min(conf.bodyBufferSize(), r.x.contentLength() > 0 ? r.x.contentLength()
                                    : data.readableBytes()));
                }
                memory.writeBytes(data);
            }
            data.release();
            stored(last);
            return;
        }
        // over client_body_buffer_size: what is in memory and all that follows goes to the file
        ByteBuf pending = memory.isReadable() ? Unpooled.wrappedBuffer(memory, data) : data;
        memory = Unpooled.EMPTY_BUFFER;
        if (file == null) {
            files.run(r.x.loop(), () -> TempFiles.TempFile.create(conf.bodyTempPath(), "jwtgate-body-"),
                    (f, failure) -> {
                        if (failure != null) {
                            pending.release();
                            failed("open() \"" + conf.bodyTempPath() + "\" failed (" + Errno.describe(failure)
                                    + ")");
                        } else if (closed) {
                            pending.release();
                            files.close(f, conf.bodyInFile() != BufferingConf.InFile.ON);
                        } else {
                            file = f;
                            log.warn("a client request body is buffered to a temporary file {}{}", f.path,
                                    ErrorContext.of(r.hx));
                            write(pending, last);
                        }
                    });
            return;
        }
        write(pending, last);
    }

    private void write(ByteBuf data, boolean last) {
        TempFiles.TempFile f = file;
        long pos = length - data.readableBytes();
        ByteBuffer[] nio = data.nioBuffers();
        files.run(r.x.loop(), () -> f.write(nio, pos), (n, failure) -> {
            data.release();
            if (failure != null) {
                failed("pwrite() \"" + f.path + "\" failed (" + Errno.describe(failure) + ")");
            } else if (!closed) {
                stored(last);
            }
        });
    }

    private void stored(boolean last) {
        if (!last) {
            r.x.requestBody();
            return;
        }
        complete = true;
        whenComplete.run();
    }

    @Override
    public void onBodyError(int status) {
        r.clientBodyFailed(status);
    }

    private void failed(String what) {
        if (closed) {
            return;
        }
        log.error("{}{}", what, ErrorContext.of(r.hx));
        r.clientBodyFailed(500);
    }

    /** Frees the body and removes its file (kept with {@code client_body_in_file_only on}); the request ended. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        memory.release();
        memory = Unpooled.EMPTY_BUFFER;
        if (file != null) {
            files.close(file, conf.bodyInFile() != BufferingConf.InFile.ON);
        }
    }

    /** Starts sending the complete body again, piece by piece to {@code to}, one piece per {@link Replay#next()}. */
    Replay replay(BodyReader to) {
        return new Replay(to);
    }

    /** One sending of the body, for one attempt at a peer. */
    final class Replay {
        private final BodyReader to;
        private long position;
        private boolean reading;
        private boolean cancelled;
        /** The last piece went to the reader. */
        private boolean ended;

        private Replay(BodyReader to) {
            this.to = to;
        }

        /** The attempt was given up: a piece still being read is dropped. */
        void cancel() {
            cancelled = true;
        }

        /** Delivers the next piece to the reader, now from memory, later from the file. */
        void next() {
            if (cancelled || reading || ended || closed) {
                return;
            }
            if (file == null) {
                ended = true;
                to.onBody(new DefaultLastHttpContent(memory.retainedDuplicate()), true);
                return;
            }
            long pos = position;
            int len = (int) Math.min(READ_CHUNK, length - pos);
            if (len == 0) {
                ended = true;
                to.onBody(new DefaultLastHttpContent(), true);
                return;
            }
            TempFiles.TempFile f = file;
            reading = true;
            files.run(r.x.loop(), () -> f.read(pos, len), (data, failure) -> {
                reading = false;
                if (cancelled || closed) {
                    if (data != null) {
                        data.release();
                    }
                } else if (failure != null) {
                    failed("pread() \"" + f.path + "\" failed (" + Errno.describe(failure) + ")");
                } else {
                    position = pos + len;
                    boolean last = position == length;
                    ended = last;
                    to.onBody(last ? new DefaultLastHttpContent(data) : new DefaultHttpContent(data), last);
                }
            });
        }
    }
}
