package io.jwtgate.core.module;

import java.util.concurrent.atomic.LongAdder;

/**
 * The client connection counts nginx keeps for {@code stub_status} ({@code ngx_stat_*}), for the whole process: the
 * server counts, {@code stub_status} and the metrics read. Each is a {@link LongAdder}: counting takes no lock.
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

    private final LongAdder accepts = new LongAdder();
    private final LongAdder handled = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder active = new LongAdder();
    private final LongAdder[] byState = {null, new LongAdder(), new LongAdder(), new LongAdder()};

    /** A connection was accepted, before {@code worker_connections} may refuse it. */
    public void accepted() {
        accepts.increment();
    }

    /** An accepted connection got a slot: it is handled and active until {@link #closed}. */
    public void admitted() {
        handled.increment();
        active.increment();
    }

    /** A request began (nginx counts it when the request is created, at its first byte). */
    public void requestStarted() {
        requests.increment();
    }

    /** An admitted connection went from {@code from} to {@code to}. */
    public void move(State from, State to) {
        if (from != State.NONE) {
            byState[from.ordinal()].decrement();
        }
        if (to != State.NONE) {
            byState[to.ordinal()].increment();
        }
    }

    /** An admitted connection closed, in state {@code last}. */
    public void closed(State last) {
        move(last, State.NONE);
        active.decrement();
    }

    public long accepts() {
        return accepts.sum();
    }

    public long handled() {
        return handled.sum();
    }

    public long requests() {
        return requests.sum();
    }

    public long active() {
        return active.sum();
    }

    public long count(State state) {
        return state == State.NONE ? 0 : byState[state.ordinal()].sum();
    }
}
