package io.jwtgate.core.module;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client connection counts nginx keeps for {@code stub_status} ({@code ngx_stat_*}), for the whole process: the
 * server counts, {@code stub_status} and the metrics read. Each event loop counts into a {@link Shard} of its own,
 * which only that loop writes: counting is a plain load and store, no lock, no atomic instruction, no cache line
 * shared between loops. A reader sums the shards; a count read mid-update is at most a moment old.
 *
 * <p>A connection is in one {@link State} at a time, as nginx counts it: {@code WAITING} for a request (new or idle in
 * keep-alive), {@code READING} from the first byte of a request until its head is in, {@code WRITING} while the
 * request runs, and in none before it is admitted or once it is closed.
 */
public final class ConnectionCounts {

    /** Where a connection stands, for the Reading/Writing/Waiting counts. */
    public enum State {
        NONE, WAITING, READING, WRITING
    }

    private static final int ACCEPTS = 0;
    private static final int HANDLED = 1;
    private static final int REQUESTS = 2;
    private static final int ACTIVE = 3;
    /** Then one count per {@link State} but {@code NONE}, at its ordinal's offset. */
    private static final int STATES = 3;
    /** Counts per shard, padded to two cache lines so that shards of different loops never share one. */
    private static final int SLOTS = 16;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final List<Shard> shards = new CopyOnWriteArrayList<>();

    /** A new shard, for one event loop to count into from then on. */
    public Shard newShard() {
        Shard s = new Shard();
        shards.add(s);
        return s;
    }

    public long accepts() {
        return sum(ACCEPTS);
    }

    public long handled() {
        return sum(HANDLED);
    }

    public long requests() {
        return sum(REQUESTS);
    }

    public long active() {
        return sum(ACTIVE);
    }

    public long count(State state) {
        return state == State.NONE ? 0 : sum(STATES + state.ordinal());
    }

    private long sum(int slot) {
        long total = 0;
        for (Shard s : shards) {
            total += (long) SLOT.getOpaque(s.counts, slot);
        }
        return total;
    }

    /** One event loop's counts; every method must be called on that loop only. */
    public static final class Shard {

        private final long[] counts = new long[SLOTS];

        private Shard() {
        }

        private void add(int slot, long delta) {
            // one writer: a plain read and an opaque write, which readers on other threads see whole
            SLOT.setOpaque(counts, slot, counts[slot] + delta);
        }

        /** A connection was accepted, before {@code worker_connections} may refuse it. */
        public void accepted() {
            add(ACCEPTS, 1);
        }

        /** An accepted connection got a slot: it is handled and active until {@link #closed}. */
        public void admitted() {
            add(HANDLED, 1);
            add(ACTIVE, 1);
        }

        /** A request began (nginx counts it when the request is created, at its first byte). */
        public void requestStarted() {
            add(REQUESTS, 1);
        }

        /** An admitted connection went from {@code from} to {@code to}. */
        public void move(State from, State to) {
            if (from != State.NONE) {
                add(STATES + from.ordinal(), -1);
            }
            if (to != State.NONE) {
                add(STATES + to.ordinal(), 1);
            }
        }

        /** An admitted connection closed, in state {@code last}. */
        public void closed(State last) {
            move(last, State.NONE);
            add(ACTIVE, -1);
        }
    }
}
