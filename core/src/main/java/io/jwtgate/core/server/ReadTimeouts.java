package io.jwtgate.core.server;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A connection's timeouts for what the client sends: the header and keep-alive timeout ({@link IdleTimeout}), and
 * {@code client_body_timeout} while a request waits for body bytes. At most one runs at a time. Used on the
 * connection's event loop only.
 */
final class ReadTimeouts {

    private final EventExecutor loop;
    private final IdleTimeout idle;
    /** The body timeout, while a body is awaited. */
    private ScheduledFuture<?> body;

    /** @param idleExpired called with the reason given to {@link #idle} when that timeout expires */
    ReadTimeouts(EventExecutor loop, Consumer<String> idleExpired) {
        this.loop = loop;
        this.idle = new IdleTimeout(loop, idleExpired);
    }

    /** Arms the header/keep-alive timeout with {@code reason} (or {@code null}) for the log line. */
    void idle(long ms, String reason) {
        cancel();
        idle.arm(ms, reason);
    }

    /** Arms {@code x}'s location's {@code client_body_timeout}, unless it runs already. */
    void body(Exchange x) {
        if (body == null) {
            long ms = x.location().core().clientBodyTimeoutMs();
            body = loop.schedule(() -> {
                body = null;
                x.bodyTimedOut();
            }, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Bytes came (or the connection stopped reading): no timeout runs. */
    void cancel() {
        idle.disarm();
        if (body != null) {
            body.cancel(false);
            body = null;
        }
    }

    /** The connection is gone: nothing stays scheduled. */
    void stop() {
        cancel();
        idle.stop();
    }
}
