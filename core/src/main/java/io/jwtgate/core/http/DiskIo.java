package io.jwtgate.core.http;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small pool of threads that touch the disk for requests ({@code open}, {@code stat}, reading a file into
 * buffers), so that an event loop never waits for a disk: a task runs here, then hops back with
 * {@code x.eventLoop().execute(...)} (docs/static.md#threads). Daemon threads, created on first use and ended
 * after a minute idle; one pool for the process, as nginx's thread pool {@code default}.
 */
public final class DiskIo {

    private static final int THREADS = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));

    private static final ThreadPoolExecutor POOL;

    static {
        AtomicInteger n = new AtomicInteger();
        POOL = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "jwtgate-disk-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        POOL.allowCoreThreadTimeOut(true);
    }

    private DiskIo() {
    }

    /** The executor for blocking file operations. */
    public static Executor executor() {
        return POOL;
    }
}
