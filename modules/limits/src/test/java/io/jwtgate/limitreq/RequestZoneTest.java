package io.jwtgate.limitreq;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.limits.LimitKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One zone's buckets with the clock given to each lookup: nginx's arithmetic, the expiry of idle entries, the oldest
 * entry dropped when the zone is full, and lookups from several threads losing nothing.
 */
class RequestZoneTest {

    private long tick;

    /**
     * The clock reading at millisecond {@code ms}, one nanosecond later than the previous reading, so that the
     * order of lookups is the order of use.
     */
    private long ms(long ms) {
        return ms * 1_000_000 + ++tick;
    }

    private static RequestZone zone(long size, long rate) {
        return new RequestZone("z", size, new LimitKey(ComplexValue.constant("k"), RequestZone.MAX_KEY_BYTES), rate);
    }

    @Test
    void leakyBucketInThousandths() {
        RequestZone z = zone(1 << 20, 1000); // 1r/s
        RequestZone.Outcome out = new RequestZone.Outcome();
        assertThat(z.lookup("a", 0, true, ms(100_000), out)).isEqualTo(RequestZone.OK);
        assertThat(out.excess).isZero();
        assertThat(z.lookup("a", 0, true, ms(100_500), out)).isEqualTo(RequestZone.BUSY);
        assertThat(out.excess).isEqualTo(500);
        // a rejected request is not accounted: one second after the first, the bucket is empty again
        assertThat(z.lookup("a", 0, true, ms(101_000), out)).isEqualTo(RequestZone.OK);
        assertThat(z.lookup("a", 2000, true, ms(101_250), out)).isEqualTo(RequestZone.OK);
        assertThat(out.excess).isEqualTo(750);
        // a clock that went back a little counts as no time, much as one millisecond
        assertThat(z.lookup("a", 2000, true, ms(101_000), out)).isEqualTo(RequestZone.OK);
        assertThat(out.excess).isEqualTo(1750);
        assertThat(z.lookup("a", 9000, true, ms(0), out)).isEqualTo(RequestZone.OK);
        assertThat(out.excess).isEqualTo(2749);
    }

    @Test
    void aFastRateAfterALongIdleTimeDrainsEverything() {
        RequestZone z = zone(1 << 20, 100_000_000_000L); // 100000000r/s
        RequestZone.Outcome out = new RequestZone.Outcome();
        assertThat(z.lookup("a", 0, true, ms(1000), out)).isEqualTo(RequestZone.OK);
        // rate * ms is past what a long holds: the bucket is empty, not negative nor full
        assertThat(z.lookup("a", 0, true, ms(100_000_000L), out)).isEqualTo(RequestZone.OK);
        assertThat(out.excess).isZero();
    }

    @Test
    void heldEntriesAreAccountedOrReleased() {
        RequestZone z = zone(1 << 20, 1000);
        RequestZone.Outcome out = new RequestZone.Outcome();
        assertThat(z.lookup("a", 5000, false, ms(100_000), out)).isEqualTo(RequestZone.AGAIN);
        RequestZone.Entry held = out.entry;
        assertThat(z.account(held, ms(100_000))).isZero();
        assertThat(z.lookup("a", 5000, false, ms(100_000), out)).isEqualTo(RequestZone.AGAIN);
        assertThat(out.excess).isEqualTo(1000);
        z.release(out.entry);
        assertThat(z.lookup("a", 5000, true, ms(100_000), out)).isEqualTo(RequestZone.OK);
        assertThat(out.excess).isEqualTo(1000);
    }

    @Test
    void idleDrainedEntriesExpireTwoAtATimeWhenAKeyIsAdded() {
        RequestZone z = zone(1 << 20, 1000);
        RequestZone.Outcome out = new RequestZone.Outcome();
        for (String k : List.of("a", "b", "c", "d")) {
            z.lookup(k, 0, true, ms(0), out);
        }
        z.lookup("a", 0, true, ms(30_000), out); // used again: no longer the oldest, nor idle a minute at 70 s
        z.lookup("e", 0, true, ms(70_000), out);
        assertThat(z.size()).isEqualTo(3); // b and c dropped: the oldest two, idle 70 s
        z.lookup("f", 0, true, ms(70_000), out);
        assertThat(z.size()).isEqualTo(3); // d dropped; a was used 40 s ago and stops the expiry
        assertThat(z.lookup("a", 0, true, ms(70_000), out)).isEqualTo(RequestZone.OK);
    }

    @Test
    void aFullZoneDropsItsLeastRecentlyUsedEntry() {
        RequestZone z = zone(32 * 1024, 16); // 191 entries of 5-byte keys
        RequestZone.Outcome out = new RequestZone.Outcome();
        for (int i = 0; i < 191; i++) {
            assertThat(z.lookup("k%04d".formatted(i), 0, true, ms(1000), out)).isEqualTo(RequestZone.OK);
        }
        assertThat(z.lookup("k0000", 0, true, ms(1000), out)).isEqualTo(RequestZone.BUSY); // used: now the newest
        assertThat(z.lookup("k9999", 0, true, ms(1000), out)).isEqualTo(RequestZone.OK);
        assertThat(z.size()).isEqualTo(191);
        assertThat(z.lookup("k0000", 0, true, ms(1000), out)).isEqualTo(RequestZone.BUSY);
        assertThat(z.lookup("k0001", 0, true, ms(1000), out)).isEqualTo(RequestZone.OK); // it was the one dropped
    }

    @Test
    void anEntryARequestHoldsIsNotDropped() {
        RequestZone z = zone(32 * 1024, 16);
        RequestZone.Outcome out = new RequestZone.Outcome();
        z.lookup("held", 0, false, ms(1000), out);
        for (int i = 0; i < 190; i++) {
            z.lookup("k%04d".formatted(i), 0, true, ms(1000), out);
        }
        // the oldest entry is held between its lookup and its accounting: nginx gives up rather than drop it
        assertThat(z.lookup("k9999", 0, true, ms(1000), out)).isEqualTo(RequestZone.ERROR);
    }

    @Test
    void lookupsFromSeveralThreadsLoseNothing() throws Exception {
        RequestZone z = zone(32 * 1024, 1000);
        int threads = 4;
        int perThread = 20_000;
        // one millisecond that never ends (nothing drains), nanoseconds in the order of the lookups
        AtomicLong clock = new AtomicLong(5000L * 1_000_000);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    RequestZone.Outcome out = new RequestZone.Outcome();
                    for (int i = 0; i < perThread; i++) {
                        z.lookup("shared", Long.MAX_VALUE, true, clock.incrementAndGet(), out);
                        // other keys keep the zone full and dropping its oldest entries meanwhile
                        z.lookup("t" + id + "-" + (i % 300), Long.MAX_VALUE, true, clock.incrementAndGet(), out);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        RequestZone.Outcome out = new RequestZone.Outcome();
        z.lookup("shared", Long.MAX_VALUE, true, clock.incrementAndGet(), out);
        // "shared" is used every other lookup: never the oldest, so never dropped, and every lookup counted
        assertThat(out.excess).isEqualTo((long) threads * perThread * 1000);
        assertThat(z.size()).isLessThanOrEqualTo(191);
    }
}
