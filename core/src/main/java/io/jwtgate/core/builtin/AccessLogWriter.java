package io.jwtgate.core.builtin;

import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.var.WireText;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
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

/**
 * Appends access log lines to one file from a background thread, so the event loops never touch the disk. Lines are
 * handed over through a bounded queue; when the disk cannot keep up, lines are dropped and counted rather than
 * blocking a request.
 */
final class AccessLogWriter implements HttpInit.Lifecycle {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.log");
    private static final int QUEUE = 65536;

    private final Path path;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
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

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
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
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                StandardCharsets.ISO_8859_1), 64 * 1024)) {
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
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4096);
                for (String line : batch) {
                    out.write(WireText.encode(line)); // the bytes: text as UTF-8, escaped bytes as they came
                    out.write('\n');
                }
                batch.clear();
                long d = dropped.getAndSet(0);
                if (d > 0) {
                    log.warn("access log {}: {} lines dropped, the disk is too slow", path, d);
                }
                out.flush();
            }
            out.flush();
        } catch (IOException e) {
            log.error("access log {}: {}", path, e.toString());
        }
    }
}
