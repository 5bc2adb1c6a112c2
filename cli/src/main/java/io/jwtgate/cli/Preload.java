package io.jwtgate.cli;

import io.jwtgate.core.http.Transport;
import io.jwtgate.jose.CryptoProvider;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Loads ACCP's and Netty's native libraries (each unpacked from the jar; ACCP also runs its self-tests: 0.25-0.3 s
 * and 0.1 s) on two threads of their own, so that they load side by side and while the main thread parses the
 * command line and the configuration. The configuration's keys wait for ACCP; nothing waits for Netty until the
 * listen sockets are bound.
 */
final class Preload {

    /** Counted down once the main thread has set up logging; {@code null} when nothing is preloaded (tests). */
    private static volatile CountDownLatch logging;

    private Preload() {
    }

    static void start() {
        CountDownLatch ready = new CountDownLatch(1);
        logging = ready;
        daemon("jwtgate-preload-crypto", CryptoProvider::preferred); // ACCP logs nothing through SLF4J
        daemon("jwtgate-preload-netty", () -> {
            try {
                // Netty logs through SLF4J. A call made while SLF4J initialises on another thread is queued and
                // replayed with a warning on standard error, so Netty waits until logging is set up.
                ready.await();
            } catch (InterruptedException e) {
                return;
            }
            Transport.detect();
        });
    }

    private static void daemon(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
    }

    /** Sets up logging on the calling thread, then lets the preload thread go on. */
    static void initLogging() {
        LoggerFactory.getILoggerFactory();
        CountDownLatch ready = logging;
        if (ready != null) {
            ready.countDown();
        }
    }
}
