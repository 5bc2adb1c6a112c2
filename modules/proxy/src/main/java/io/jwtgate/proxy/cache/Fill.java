package io.jwtgate.proxy.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * An upstream request in flight that will (maybe) store an entry: what {@code proxy_cache_lock} waits for and what
 * {@code proxy_cache_use_stale updating} detects. Requests on any event loop may wait on it; each is resumed on its
 * own loop when the fill completes. It holds the lock until it completes or its {@code proxy_cache_lock_age} has
 * passed, whichever comes first (nginx's {@code lock_time}). Thread-safe.
 */
final class Fill {

    private final CacheZone zone;
    private final String hash;
    private final long lockedUntil;
    private List<Runnable> waiters = new ArrayList<>();
    private boolean servedStale;

    /** {@code lockedUntil}: the {@link System#nanoTime()} at which its lock age has passed. */
    Fill(CacheZone zone, String hash, long lockedUntil) {
        this.zone = zone;
        this.hash = hash;
        this.lockedUntil = lockedUntil;
    }

    /** When its lock age passes, in {@link System#nanoTime()}. */
    long lockedUntil() {
        return lockedUntil;
    }

    /** Whether other requests still wait for it rather than going upstream themselves. */
    boolean locks() {
        return lockedUntil - System.nanoTime() > 0;
    }

    /**
     * Runs {@code resume} on {@code loop} once the fill completes; returns false (and does nothing) when it already
     * has.
     */
    synchronized boolean await(Executor loop, Runnable resume) {
        if (waiters == null) {
            return false;
        }
        waiters.add(() -> loop.execute(resume));
        return true;
    }

    /** Whether the filler failed and answered with the stale entry, which waiters may then serve too. */
    synchronized boolean servedStale() {
        return servedStale;
    }

    /** Ends the fill (the entry is stored by now, or will not be) and resumes the waiters; idempotent. */
    void complete(boolean stale) {
        List<Runnable> w;
        synchronized (this) {
            if (waiters == null) {
                return;
            }
            servedStale = stale;
            w = waiters;
            waiters = null;
        }
        zone.endFill(hash, this);
        for (Runnable r : w) {
            r.run();
        }
    }
}
