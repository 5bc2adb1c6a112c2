package io.jwtgate.proxy;

import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.http.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code proxy_buffering on} (nginx's event pipe): takes the upstream's response body as fast as the upstream sends
 * it, so that the upstream connection is free (back in the keep-alive pool) as soon as the response ended, however
 * slowly the client reads. Up to {@link BufferingConf#memoryLimit()} bytes wait in memory for the client; beyond
 * that the body goes through a temporary file in {@code proxy_temp_path}, up to {@code proxy_max_temp_file_size}
 * (0: no file); only when both are full does the upstream wait. The file is written and read on the
 * {@link TempFiles} executor and removed when the response ends, however it ends ({@link #close()}).
 *
 * <p>Lives on the client's event loop only. Owns every body piece given to it until it passes it to the
 * downstream.
 */
final class ResponseBuffer {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");

    /** The most read back from the file at once. */
    private static final int READ_CHUNK = 64 * 1024;

    private final ProxyRequest r;
    private final Downstream x;
    private final BufferingConf conf;
    private final TempFiles files;
    /** Called when there is room again for upstream data (the relay reads on). */
    private final Runnable roomMade;

    /** Bytes given to the client and not yet written to its socket: the buffers in memory. */
    private long inFlight;
    private TempFiles.TempFile file;
    /** Pieces waiting to be appended to the file, in order. */
    private final ArrayDeque<ByteBuf> toFile = new ArrayDeque<>();
    private long toFileBytes;
    /** Bytes in the file, and how many of them went to the client. */
    private long fileWritten;
    private long fileRead;
    private boolean creating;
    private boolean writing;
    private boolean reading;
    private LastHttpContent last;
    private boolean closed;

    ResponseBuffer(ProxyRequest r, Downstream x, BufferingConf conf, TempFiles files, Runnable roomMade) {
        this.r = r;
        this.x = x;
        this.conf = conf;
        this.files = files;
        this.roomMade = roomMade;
    }

    /**
     * Whether the upstream must wait: memory is full and the file cannot take more (it took
     * {@code proxy_max_temp_file_size} in all, none is allowed, or its writes lag behind by
     * {@code proxy_temp_file_write_size}).
     */
    boolean full() {
        if (spilling()) {
            return !fileRoom() || toFileBytes >= conf.tempFileWriteSize();
        }
        return inFlight >= conf.memoryLimit() && !fileRoom();
    }

    /** Body that must go through the file to keep its order: the file holds unsent data, or is being worked on. */
    private boolean spilling() {
        return creating || writing || reading || toFileBytes > 0 || fileRead < fileWritten;
    }

    /** As nginx's event pipe, the file is only appended to: once it took the limit, the rest goes through memory. */
    private boolean fileRoom() {
        return fileWritten + toFileBytes < conf.maxTempFileSize();
    }

    /** A piece of the body from the upstream. */
    void add(HttpContent content) {
        ByteBuf data = content.content();
        if (closed || !data.isReadable()) {
            content.release();
            return;
        }
        if (!spilling() && (inFlight < conf.memoryLimit() || !fileRoom())) {
            send(content);
            return;
        }
        toFile.add(data);
        toFileBytes += data.readableBytes();
        pump();
    }

    /** The upstream's response ended: the client gets {@code end} after everything buffered. */
    void end(LastHttpContent end) {
        if (closed) {
            end.release();
            return;
        }
        last = end;
        pump();
    }

    private void send(HttpContent content) {
        int n = content.content().readableBytes();
        inFlight += n;
        x.sendBody(content).addListener((ChannelFuture f) -> {
            inFlight -= n;
            if (f.isSuccess()) {
                pump();
                roomMade.run();
            }
            // on failure the client connection closes, and the request's end closes this buffer
        });
    }

    /** Moves the body along: into the file, out of it to the client, and the end once all went out. */
    private void pump() {
        if (closed) {
            return;
        }
        if (toFileBytes > 0 && !writing && !creating) {
            if (file == null) {
                creating = true;
                String context = r.errorContext();
                files.run(x.loop(), () -> TempFiles.TempFile.create(conf.tempPath(), "jwtgate-proxy-"),
                        (f, failure) -> created(f, failure, context));
            } else {
                writeOut();
            }
        }
        if (!reading && fileRead < fileWritten && inFlight < conf.memoryLimit()) {
            long pos = fileRead;
            int len = (int) Math.min(fileWritten - fileRead, Math.max(READ_CHUNK, conf.memoryLimit()));
            TempFiles.TempFile f = file;
            reading = true;
            files.run(x.loop(), () -> f.read(pos, len), this::readBack);
        }
        if (last != null && !spilling()) {
            LastHttpContent end = last;
            last = null;
            x.endResponse(end);
            close();
        }
    }

    private void created(TempFiles.TempFile f, IOException failure, String context) {
        creating = false;
        if (failure != null) {
            failed("open() \"" + conf.tempPath() + "\" failed (" + Errno.describe(failure) + ")");
            return;
        }
        if (closed) {
            files.close(f, true);
            return;
        }
        file = f;
        log.warn("an upstream response is buffered to a temporary file {} while reading upstream{}", f.path, context);
        pump();
    }

    private void writeOut() {
        List<ByteBuf> pieces = new ArrayList<>(toFile);
        toFile.clear();
        toFileBytes = 0;
        List<ByteBuffer> nio = new ArrayList<>();
        for (ByteBuf b : pieces) {
            for (ByteBuffer n : b.nioBuffers()) {
                nio.add(n);
            }
        }
        ByteBuffer[] data = nio.toArray(new ByteBuffer[0]);
        long pos = fileWritten;
        TempFiles.TempFile f = file;
        writing = true;
        files.run(x.loop(), () -> f.write(data, pos), (n, failure) -> {
            writing = false;
            for (ByteBuf b : pieces) {
                b.release();
            }
            if (failure != null) {
                failed("pwrite() \"" + f.path + "\" failed (" + Errno.describe(failure) + ")");
                return;
            }
            fileWritten += n;
            pump();
            roomMade.run();
        });
    }

    private void readBack(ByteBuf data, IOException failure) {
        reading = false;
        if (closed) {
            if (data != null) {
                data.release();
            }
            return;
        }
        if (failure != null) {
            failed("pread() \"" + file.path + "\" failed (" + Errno.describe(failure) + ")");
            return;
        }
        fileRead += data.readableBytes();
        send(new DefaultHttpContent(data));
        pump();
    }

    private void failed(String what) {
        if (closed) {
            return;
        }
        close();
        r.bufferFailed(what);
    }

    /** Releases what is buffered and removes the temporary file; the request ended, or the client went away. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ByteBuf b : toFile) {
            b.release();
        }
        toFile.clear();
        toFileBytes = 0;
        if (last != null) {
            last.release();
            last = null;
        }
        if (file != null) {
            files.close(file, true);
            file = null;
        }
    }
}
