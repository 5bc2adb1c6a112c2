package io.jwtgate.core.builtin;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.module.HttpInit;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Appends access log lines to one file from a background thread, so the event loops never touch the disk. Lines are
 * handed over through a bounded queue; when the disk cannot keep up, lines are dropped and counted rather than
 * blocking a request.
 *
 * <p>{@link #reopen()} (USR1, after a log rotation renamed the file) queues a marker: the thread writes every line
 * queued before it to the file it has open, closes that file, opens a new one at the configured path and goes on
 * there. A line is never split between the two files, and the caller never waits for the disk.
 */
final class AccessLogWriter implements HttpInit.Lifecycle {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.log");
    /** nginx's level for a log file it cannot open. */
    private static final Marker EMERG = ErrorLogLevel.EMERG.marker();
    private static final int QUEUE = 65536;
    /** Queued by {@link #reopen()}; compared by identity, so no logged line can be mistaken for it. */
    private static final String REOPEN = new String("reopen");
    /** Queued by {@link #stop()} to end the wait for lines at once; compared by identity too. */
    private static final String WAKE = new String("wake");

    private final Path path;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    /** Set by {@link #reopen()} when the queue was too full to take {@link #REOPEN}. */
    private volatile boolean reopenPending;
    private volatile boolean running;
    private Thread thread;

    AccessLogWriter(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** Queues a line (without its newline); never blocks. */
    void write(String line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /** Asks the writing thread to reopen the file after the lines already queued; never blocks. */
    @Override
    public void reopen() {
        if (!queue.offer(REOPEN)) {
            reopenPending = true; // full: the thread reopens after the batch it is writing
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "access-log " + path.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Ends the thread once it has written every line queued so far. The thread is woken, not interrupted: an
     * interrupt closes a file channel in the middle of a write and loses what it held.
     */
    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            queue.offer(WAKE); // full: the thread is busy writing and sees running at the end of the batch
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    private void run() {
        List<String> batch = new ArrayList<>(256);
        Writer out;
        try {
            out = open();
        } catch (IOException e) {
            log.error(EMERG, "open() \"{}\" failed ({})", path, Errno.describe(e));
            return;
        }
        try {
            while (running || !queue.isEmpty()) {
                String first;
                try {
                    first = queue.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    first = queue.poll();
                    if (first == null) {
                        break;
                    }
                }
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 4096);
                }
                for (String line : batch) {
                    if (line == WAKE) {
                        continue;
                    }
                    if (line == REOPEN) {
                        out = reopened(out);
                        continue;
                    }
                    out.write(WireText.encode(line)); // the bytes: text as UTF-8, escaped bytes as they came
                    out.write('\n');
                }
                batch.clear();
                if (reopenPending) {
                    reopenPending = false;
                    out = reopened(out);
                }
                long d = dropped.getAndSet(0);
                if (d > 0) {
                    log.warn("access log {}: {} lines dropped, the disk is too slow", path, d);
                }
                out.flush();
            }
        } catch (IOException e) {
            log.error("write() to \"{}\" failed ({})", path, Errno.describe(e));
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                log.error("close() \"{}\" failed ({})", path, Errno.describe(e));
            }
        }
    }

    private Writer open() throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.ISO_8859_1), 64 * 1024);
    }

    /**
     * A new file at {@link #path} once {@code current} is flushed and closed; {@code current} itself when the new
     * one cannot be opened (nginx too goes on writing to the old file then).
     */
    private Writer reopened(Writer current) {
        Writer next;
        try {
            next = open();
        } catch (IOException e) {
            log.error(EMERG, "open() \"{}\" failed ({})", path, Errno.describe(e));
            return current;
        }
        try {
            current.close();
        } catch (IOException e) {
            log.error("close() \"{}\" failed ({})", path, Errno.describe(e));
        }
        return next;
    }
}
