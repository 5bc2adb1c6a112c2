package io.jwtgate.core.builtin;

import io.jwtgate.core.codec.SyslogPeer;
import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.module.HttpInit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends access log lines to a syslog server ({@code access_log syslog:...}), one UDP datagram per line, from the
 * event loop that logs the request, as nginx does: a non-blocking send, no disk. A failed send is reported at
 * warn, at most once a minute per server (nginx reports every one).
 */
final class SyslogSender implements HttpInit.Lifecycle {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.log");
    private static final long FAILURE_INTERVAL = TimeUnit.SECONDS.toNanos(60);

    private final SyslogPeer peer;
    private final AtomicLong lastFailure = new AtomicLong();

    SyslogSender(SyslogPeer peer) {
        this.peer = peer;
    }

    /** Sends {@code line} (escaped, without a newline) with the syslog header. */
    void send(String line) {
        byte[] datagram = WireText.encode(peer.header(peer.severity()) + line).getBytes(StandardCharsets.ISO_8859_1);
        try {
            peer.send(datagram);
        } catch (IOException e) {
            long now = System.nanoTime();
            long last = lastFailure.get();
            if ((last == 0 || now - last > FAILURE_INTERVAL) && lastFailure.compareAndSet(last, now)) {
                log.warn("send() to syslog failed ({})", Errno.describe(e));
            }
        }
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
        peer.close();
    }
}
