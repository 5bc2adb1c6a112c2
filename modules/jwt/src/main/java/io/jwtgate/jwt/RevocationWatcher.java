package io.jwtgate.jwt;

import io.jwtgate.core.module.HttpInit;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every revocation file of one configuration on a single daemon thread, every {@value #INTERVAL_MILLIS} ms, so
 * that a changed file is in force within 10 seconds. File reads and parsing happen here, never on an event loop.
 */
final class RevocationWatcher implements HttpInit.Lifecycle {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.jwt");

    /** Poll interval. */
    static final long INTERVAL_MILLIS = 2000;

    private final List<RevocationSource> sources;
    private ScheduledExecutorService thread;

    RevocationWatcher(List<RevocationSource> sources) {
        this.sources = List.copyOf(sources);
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jwtgate-jwt-revocation");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::pollAll, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void pollAll() {
        for (RevocationSource s : sources) {
            try {
                s.poll();
            } catch (RuntimeException e) {
                // A bug must not stop the watcher: the other files still need watching.
                log.error("revocation list \"{}\": unexpected error", s.path(), e);
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (thread != null) {
            thread.shutdownNow();
            thread = null;
        }
    }
}
