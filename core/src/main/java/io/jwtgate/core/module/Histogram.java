package io.jwtgate.core.module;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * One series of a histogram family ({@link Metrics#histogram}): a {@link LongAdder} per bucket and a
 * {@link DoubleAdder} for the sum, so an observation takes no lock and allocates nothing. Buckets are counted one by
 * one and made cumulative only when read; the count is the buckets' total, so a scrape always sees {@code _count}
 * equal to the {@code +Inf} bucket (the sum, read a moment apart, may lag by the observations in between).
 */
public final class Histogram {

    private final double[] upperBounds;
    private final LongAdder[] buckets;
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] upperBounds) {
        this.upperBounds = upperBounds;
        this.buckets = new LongAdder[upperBounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Counts one observation, in the family's unit (seconds for a duration). */
    public void observe(double value) {
        int i = 0;
        while (i < upperBounds.length && value > upperBounds[i]) {
            i++;
        }
        buckets[i].increment();
        sum.add(value);
    }

    /** The upper bounds of the buckets, the last ({@code +Inf}) left out; do not change the array. */
    public double[] upperBounds() {
        return upperBounds;
    }

    /** How many observations fell in each bucket (not cumulative), the {@code +Inf} bucket last. */
    public long[] bucketCounts() {
        long[] counts = new long[buckets.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
        }
        return counts;
    }

    public double sum() {
        return sum.sum();
    }
}
