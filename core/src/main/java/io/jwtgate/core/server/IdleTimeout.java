package io.jwtgate.core.server;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A connection's header or keep-alive timeout. The deadline moves on every request, the scheduled task does not: it
 * is re-armed for the rest when it fires early, so a request costs a clock read instead of a scheduled task's insert
 * and removal. Used on the connection's event loop only.
 */
final class IdleTimeout {

    private final EventExecutor loop;
    private final Consumer<String> expired;
    private ScheduledFuture<?> task;
    /** When {@link #task} fires, from {@link System#nanoTime()}. */
    private long taskAt;
    private boolean armed;
    private long deadline;
    private String reason;

    /** @param expired called with the reason given to {@link #arm} when an armed timeout expires */
    IdleTimeout(EventExecutor loop, Consumer<String> expired) {
        this.loop = loop;
        this.expired = expired;
    }

    /** Expires {@code ms} from now with {@code reason} (or {@code null}), unless disarmed or re-armed before. */
    void arm(long ms, String reason) {
        long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        deadline = at;
        armed = true;
        this.reason = reason;
        if (task != null) {
            if (taskAt - at <= 0) {
                return; // fires first and re-arms itself
            }
            task.cancel(false);
        }
        schedule(at, ms, TimeUnit.MILLISECONDS);
    }

    void disarm() {
        armed = false;
    }

    /** Disarms and cancels the scheduled task: the connection is gone. */
    void stop() {
        armed = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void schedule(long at, long delay, TimeUnit unit) {
        taskAt = at;
        task = loop.schedule(this::fired, delay, unit);
    }

    private void fired() {
        task = null;
        if (!armed) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(deadline, left, TimeUnit.NANOSECONDS);
            return;
        }
        armed = false;
        expired.accept(reason);
    }
}
