package io.jwtgate.proxy;

import io.jwtgate.core.module.HttpInit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files of buffered request and response bodies ({@code client_body_temp_path},
 * {@code proxy_temp_path}) and the small executor their blocking I/O runs on, so that no event loop waits for the
 * disk. One per configuration load; its threads exist only while there is file work.
 */
final class TempFiles implements HttpInit.Lifecycle {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");

    private final ThreadPoolExecutor io = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "jwtgate-temp-files");
                t.setDaemon(true);
                return t;
            });

    TempFiles() {
        io.allowCoreThreadTimeOut(true);
    }

    /** Blocking file work. */
    interface Io<T> {
        T call() throws IOException;
    }

    /**
     * Runs {@code work} off the event loop, then {@code done} on {@code loop} with its result, or with the failure.
     * After {@link #stop()} (the configuration was replaced while a request was still buffering) the work runs on the
     * caller's thread.
     */
    <T> void run(Executor loop, Io<T> work, BiConsumer<T, IOException> done) {
        Runnable task = () -> {
            T result = null;
            IOException failure = null;
            try {
                result = work.call();
            } catch (IOException e) {
                failure = e;
            }
            T r = result;
            IOException f = failure;
            loop.execute(() -> done.accept(r, f));
        };
        try {
            io.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Closes {@code file} off the event loop, and removes it when {@code delete}. */
    void close(TempFile file, boolean delete) {
        Runnable task = () -> file.close(delete);
        try {
            io.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    @Override
    public void start() {
    }

    /** Lets the queued file work finish; later work runs on its caller's thread. */
    @Override
    public void stop() {
        io.shutdown();
    }

    /** One temporary file, written and read at explicit positions; its methods block. */
    static final class TempFile {
        final Path path;
        private final FileChannel channel;

        private TempFile(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        /** A new empty file in {@code dir} (the JVM's temporary directory when {@code null}), for its owner only. */
        static TempFile create(Path dir, String prefix) throws IOException {
            Path p = dir == null ? Files.createTempFile(prefix, ".tmp") : Files.createTempFile(dir, prefix, ".tmp");
            try {
                return new TempFile(p, FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE));
            } catch (IOException e) {
                Files.deleteIfExists(p);
                throw e;
            }
        }

        /** Writes all of {@code data} at {@code position}; returns the bytes written. */
        long write(ByteBuffer[] data, long position) throws IOException {
            long n = 0;
            for (ByteBuffer b : data) {
                while (b.hasRemaining()) {
                    n += channel.write(b, position + n);
                }
            }
            return n;
        }

        /** Reads {@code length} bytes from {@code position} into a new buffer the caller owns. */
        ByteBuf read(long position, int length) throws IOException {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(length);
            try {
                while (buf.readableBytes() < length) {
                    int n = buf.writeBytes(channel, position + buf.readableBytes(), length - buf.readableBytes());
                    if (n < 0) {
                        throw new IOException("temporary file " + path + " is shorter than written");
                    }
                }
                return buf;
            } catch (IOException | RuntimeException e) {
                buf.release();
                throw e;
            }
        }

        void close(boolean delete) {
            try {
                channel.close();
                if (delete) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                log.error("cannot remove temporary file \"{}\": {}", path, e.toString());
            }
        }
    }
}
