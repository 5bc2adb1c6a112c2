package io.jwtgate.core.builtin;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.module.HttpInit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends access log lines to one file from a background thread, so the event loops never touch the disk; the
 * thread holds them in the file's buffer ({@link LogFile}) and writes, gzips and reopens there. Lines are
 * handed over through a bounded queue; when the disk cannot keep up, lines are dropped and counted rather than
 * blocking a request.
 *
 * <p>{@link #reopen()} (USR1, after a log rotation renamed the file) queues a marker: the thread writes every line
 * queued before it to the file it has open, closes that file, opens a new one at the configured path and goes on
 * there. A line is never split between the two files, and the caller never waits for the disk. The buffer is
 * written before a reopen and when the thread stops (a reload, the exit), so no line is lost there.
 */
final class AccessLogWriter implements HttpInit.Lifecycle {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.log");
    private static final int QUEUE = 65536;
    /** Queued by {@link #reopen()}; compared by identity, so no logged line can be mistaken for it. */
    private static final Line REOPEN = new Line("reopen", 0);
    /** Queued by {@link #stop()} to end the wait for lines at once; compared by identity too. */
    private static final Line WAKE = new Line("wake", 0);
    /** The longest wait for a line before the thread looks at {@link #running} again. */
    private static final long POLL = TimeUnit.MILLISECONDS.toNanos(200);

    private final Path path;
    private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    /** {@code buffer=}, {@code flush=}, {@code gzip}: set while the configuration is read, before {@link #start()}. */
    private LogFile.Buffering buffering;
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

    LogFile.Buffering buffering() {
        return buffering;
    }

    void buffering(LogFile.Buffering b) {
        buffering = b;
    }

    /**
     * A line without its newline, and the bytes nginx would reserve for it in a buffer beyond its length (its log
     * module reserves a fixed width for {@code $status}, {@code $time_local}...), so that a buffer is written when
     * nginx's would be.
     */
    record Line(String text, int reserve) {
    }

    /** Queues a line; never blocks. */
    void write(String line, int reserve) {
        if (!queue.offer(new Line(line, reserve))) {
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
        LogFile file = new LogFile(path, buffering);
        if (!file.open()) {
            return;
        }
        List<Line> batch = new ArrayList<>(256);
        try {
            while (running || !queue.isEmpty()) {
                Line first;
                try {
                    first = queue.poll(file.waitNanos(POLL), TimeUnit.NANOSECONDS);
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
                for (Line line : batch) {
                    if (line == WAKE) {
                        continue;
                    }
                    if (line == REOPEN) {
                        file.reopen();
                        continue;
                    }
                    // the bytes: text as UTF-8, escaped bytes as they came
                    file.add((WireText.encode(line.text()) + '\n').getBytes(StandardCharsets.ISO_8859_1),
                            line.reserve());
                }
                batch.clear();
                if (reopenPending) {
                    reopenPending = false;
                    file.reopen();
                }
                long d = dropped.getAndSet(0);
                if (d > 0) {
                    log.warn("access log {}: {} lines dropped, the disk is too slow", path, d);
                }
                file.endOfBatch();
            }
        } finally {
            file.close();
        }
    }
}
