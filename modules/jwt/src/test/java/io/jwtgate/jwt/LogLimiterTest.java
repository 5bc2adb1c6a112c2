package io.jwtgate.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The bound on identical log lines, on an injected clock. */
class LogLimiterTest {

    /** A clock the test moves. */
    static final class Ticker {
        long nanos = 123_456_789L;

        void advanceSeconds(long s) {
            nanos += s * 1_000_000_000L;
        }
    }

    @Test
    void burstThenSuppressedThenReportedInTheNextWindow() {
        Ticker t = new Ticker();
        LogLimiter l = new LogLimiter(3, () -> t.nanos);
        for (int i = 0; i < LogLimiter.BURST; i++) {
            assertThat(l.acquire(0)).isZero();
        }
        for (int i = 0; i < 25; i++) {
            assertThat(l.acquire(0)).isEqualTo(LogLimiter.SUPPRESS);
        }
        // other kinds of line have their own budget
        assertThat(l.acquire(1)).isZero();
        t.advanceSeconds(LogLimiter.WINDOW_SECONDS - 1);
        assertThat(l.acquire(0)).isEqualTo(LogLimiter.SUPPRESS);
        t.advanceSeconds(1);
        // the first line of the next window carries the count, then the budget is full again
        assertThat(l.acquire(0)).isEqualTo(26);
        for (int i = 1; i < LogLimiter.BURST; i++) {
            assertThat(l.acquire(0)).isZero();
        }
        assertThat(l.acquire(0)).isEqualTo(LogLimiter.SUPPRESS);
        t.advanceSeconds(3 * LogLimiter.WINDOW_SECONDS);
        assertThat(l.acquire(0)).isEqualTo(1);
        assertThat(l.acquire(0)).isZero();
        assertThat(l.acquire(2)).isZero();
    }

    @Test
    void aSuppressedLineAllocatesNothing() {
        Ticker t = new Ticker();
        LogLimiter l = new LogLimiter(1, () -> t.nanos);
        for (int i = 0; i < 200_000; i++) {
            l.acquire(0); // warm up, past the burst
        }
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        int suppressed = 0;
        for (int i = 0; i < 1_000_000; i++) {
            if (l.acquire(0) == LogLimiter.SUPPRESS) {
                suppressed++;
            }
        }
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        assertThat(suppressed).isEqualTo(1_000_000);
        // a million suppressed lines: well under one byte each (the measurement itself costs a little)
        assertThat(allocated).isLessThan(64 * 1024);
    }
}
