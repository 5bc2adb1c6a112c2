package io.jwtgate.core.builtin;

import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.conf.ErrorLogLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * One access log file and its buffer, as nginx's log module holds them ({@code access_log ... buffer= flush= gzip}),
 * used only by its {@link AccessLogWriter}'s thread. A line goes into the buffer; when it does not fit, the buffer is
 * written first, and a line larger than the whole buffer is written alone. With {@code flush=} the buffer is written
 * at the latest that long after its first line went in. With {@code gzip} each write of the buffer is one gzip member
 * of its own, so the file is a concatenation that {@code zcat} reads whole, even while it is being written.
 *
 * <p>An unbuffered file ({@code buffering} {@code null}) has a buffer too: its lines are written when the thread
 * has taken the lines queued so far ({@link #endOfBatch()}), a few at a time under load, at once otherwise.
 */
final class LogFile {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.log");
    private static final Marker EMERG = ErrorLogLevel.EMERG.marker();
    private static final Marker ALERT = ErrorLogLevel.ALERT.marker();
    /** The buffer of an unbuffered file: what one batch of queued lines may fill before it is written. */
    private static final int BATCH_BUFFER = 64 * 1024;
    /** nginx writes a failed write's line to the error log at most once a minute per file. */
    private static final long WRITE_ERROR_INTERVAL = TimeUnit.SECONDS.toNanos(60);

    /**
     * {@code access_log}'s {@code buffer=size}, {@code flush=time} ({@code 0}: none) and {@code gzip=level}
     * ({@code 0}: none); {@code gzip} without {@code buffer=} has nginx's 64k.
     */
    record Buffering(int size, long flushMillis, int gzipLevel) {
    }

    private final Path path;
    private final Buffering buffering;
    private final byte[] buffer;
    private int used;
    /** {@link System#nanoTime()} by which the buffer must be written; only meaningful while {@link #used} > 0. */
    private long deadline;
    private long lastWriteError;
    private OutputStream out;

    LogFile(Path path, Buffering buffering) {
        this.path = path;
        this.buffering = buffering;
        this.buffer = new byte[buffering == null ? BATCH_BUFFER : buffering.size()];
    }

    /** Opens the file for appending; {@code false} (logged at emerg, as nginx) when it cannot be opened. */
    boolean open() {
        try {
            out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            return true;
        } catch (IOException e) {
            log.error(EMERG, "open() \"{}\" failed ({})", path, Errno.describe(e));
            return false;
        }
    }

    /**
     * Adds one line, its newline included; {@code reserve} more bytes must be free for it, as nginx reserves them
     * ({@code AccessLogWriter.Line}).
     */
    void add(byte[] line, int reserve) {
        int needed = line.length + reserve;
        if (needed > buffer.length - used) {
            writeBuffer();
        }
        if (needed > buffer.length) {
            write(line, line.length);
            return;
        }
        if (used == 0 && buffering != null && buffering.flushMillis() > 0) {
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(buffering.flushMillis());
        }
        System.arraycopy(line, 0, buffer, used, line.length);
        used += line.length;
    }

    /** The lines queued so far are taken: an unbuffered file writes them, a buffered one when its time is up. */
    void endOfBatch() {
        if (buffering == null || used > 0 && buffering.flushMillis() > 0 && nanosToDeadline() <= 0) {
            writeBuffer();
        }
    }

    /** How long the thread may wait for more lines before {@link #endOfBatch()} must run; {@code max} at most. */
    long waitNanos(long max) {
        if (used == 0 || buffering == null || buffering.flushMillis() == 0) {
            return max;
        }
        return Math.max(0, Math.min(max, nanosToDeadline()));
    }

    private long nanosToDeadline() {
        return deadline - System.nanoTime();
    }

    /**
     * Writes the buffer, closes the file and opens a new one at its path (a rotation renamed the old one); when the
     * new one cannot be opened the old one stays in use, as in nginx.
     */
    void reopen() {
        writeBuffer();
        OutputStream current = out;
        if (open()) {
            close(current);
        } else {
            out = current;
        }
    }

    /** Writes the buffer and closes the file. */
    void close() {
        writeBuffer();
        close(out);
    }

    private void close(OutputStream o) {
        try {
            o.close();
        } catch (IOException e) {
            log.error(ALERT, "close() \"{}\" failed ({})", path, Errno.describe(e));
        }
    }

    private void writeBuffer() {
        if (used > 0) {
            write(buffer, used);
            used = 0;
        }
    }

    private void write(byte[] bytes, int length) {
        try {
            if (buffering != null && buffering.gzipLevel() > 0) {
                out.write(gzipMember(bytes, length, buffering.gzipLevel()));
            } else {
                out.write(bytes, 0, length);
            }
        } catch (IOException e) {
            long now = System.nanoTime();
            if (lastWriteError == 0 || now - lastWriteError > WRITE_ERROR_INTERVAL) {
                lastWriteError = now;
                log.error(ALERT, "write() to \"{}\" failed ({})", path, Errno.describe(e));
            }
        }
    }

    /**
     * {@code bytes} as one gzip member (RFC 1952) with zlib's header, as nginx writes it: no name, no time, the
     * extra flags of the level and Unix as the system.
     */
    static byte[] gzipMember(byte[] bytes, int length, int level) {
        ByteArrayOutputStream member = new ByteArrayOutputStream(length / 2 + 64);
        int extraFlags = level == Deflater.BEST_COMPRESSION ? 2 : level == Deflater.BEST_SPEED ? 4 : 0;
        member.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) extraFlags, 3});
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setInput(bytes, 0, length);
            deflater.finish();
            byte[] chunk = new byte[Math.min(64 * 1024, length + 64)];
            while (!deflater.finished()) {
                member.write(chunk, 0, deflater.deflate(chunk));
            }
        } finally {
            deflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        writeIntLe(member, (int) crc.getValue());
        writeIntLe(member, length);
        return member.toByteArray();
    }

    private static void writeIntLe(ByteArrayOutputStream o, int v) {
        o.write(v);
        o.write(v >>> 8);
        o.write(v >>> 16);
        o.write(v >>> 24);
    }
}
