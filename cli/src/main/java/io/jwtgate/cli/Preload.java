package io.jwtgate.cli;

import io.jwtgate.core.server.Transport;
import io.jwtgate.jose.CryptoProvider;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Loads ACCP's and Netty's native libraries (each unpacked from the jar and self-checked: about 0.3 s together) on
 * a second thread while the main one parses the command line and the configuration, which need neither.
 */
final class Preload {

    /** Counted down once the main thread has set up logging; {@code null} when nothing is preloaded (tests). */
    private static volatile CountDownLatch logging;

    private Preload() {
    }

    static void start() {
        CountDownLatch ready = new CountDownLatch(1);
        logging = ready;
        Thread t = new Thread(() -> {
            CryptoProvider.preferred(); // ACCP logs nothing through SLF4J
            try {
                // Netty logs through SLF4J. A call made while SLF4J initialises on another thread is queued and
                // replayed with a warning on standard error, so Netty waits until logging is set up.
                ready.await();
            } catch (InterruptedException e) {
                return;
            }
            Transport.detect();
        }, "jwtgate-preload");
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
