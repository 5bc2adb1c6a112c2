package io.jwtgate.core.module;

import java.util.concurrent.atomic.LongAdder;

/**
 * One series of a counter family ({@link Metrics#counter}), resolved to its label values at configuration time.
 * Counting is a {@link LongAdder} increment: no lock, no allocation, and cells striped per thread under contention, so
 * event loops counting the same series do not fight over one cache line.
 */
public final class Counter {

    private final LongAdder value = new LongAdder();

    Counter() {
    }

    public void inc() {
        value.increment();
    }

    public void add(long amount) {
        value.add(amount);
    }

    /** The count so far, for the exposition and tests. */
    public long value() {
        return value.sum();
    }
}
