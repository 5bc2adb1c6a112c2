package io.jwtgate.jwt;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Bounds identical error-log lines: per slot (one per rejection reason, one for failed key sources), at most
 * {@value #BURST} lines per {@value #WINDOW_SECONDS}-second window; the rest are counted, and the first line of a
 * later window reports how many were suppressed (docs/jwt.md#jwt_log_level). One instance per configuration load,
 * shared by every event loop; counts are approximate under races, never unbounded.
 *
 * <p>A suppressed line costs a clock read and two atomic updates, and allocates nothing.
 */
final class LogLimiter {

    /** Lines per slot and window. */
    static final int BURST = 10;
    static final long WINDOW_SECONDS = 10;
    private static final long WINDOW_NANOS = WINDOW_SECONDS * 1_000_000_000L;

    /** {@link #acquire}: this line is not to be written. */
    static final int SUPPRESS = -1;

    private final LongSupplier nanoTime;
    private final AtomicLongArray windowStart;
    private final AtomicIntegerArray written;
    private final AtomicIntegerArray suppressed;

    /**
     * @param slots the number of independent kinds of line
     * @param nanoTime a monotonic clock in nanoseconds ({@link System#nanoTime} outside tests)
     */
    LogLimiter(int slots, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.windowStart = new AtomicLongArray(slots);
        this.written = new AtomicIntegerArray(slots);
        this.suppressed = new AtomicIntegerArray(slots);
        long now = nanoTime.getAsLong();
        for (int i = 0; i < slots; i++) {
            windowStart.set(i, now);
        }
    }

    /**
     * Asks to write one line of {@code slot}. Returns {@link #SUPPRESS}, or the number of lines of this slot
     * suppressed since the last line written (to report before this one; usually 0).
     */
    int acquire(int slot) {
        long now = nanoTime.getAsLong();
        long start = windowStart.get(slot);
        int report = 0;
        if (now - start >= WINDOW_NANOS && windowStart.compareAndSet(slot, start, now)) {
            written.set(slot, 0);
            report = suppressed.getAndSet(slot, 0);
        }
        if (written.incrementAndGet(slot) > BURST) {
            suppressed.incrementAndGet(slot);
            return SUPPRESS;
        }
        return report;
    }
}
