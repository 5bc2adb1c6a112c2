package io.jwtgate.proxy;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The requests of one event loop that wait on a read or send deadline, checked by one coarse periodic tick instead
 * of a scheduled task per request (which would cost a priority-queue insert and removal on every request). The tick
 * runs every {@value #TICK_MS} ms while requests are registered and stops one tick after the last one left, so
 * timeouts fire up to {@value #TICK_MS} ms late. An intrusive doubly linked list makes registering and leaving O(1).
 * Not thread-safe: used on its event loop only.
 */
final class Deadlines {

    /** A request with deadlines; the links belong to this list. */
    abstract static class Entry {
        Entry prev;
        Entry next;
        boolean linked;

        /** Checks the entry's deadlines against {@code now} ({@link System#nanoTime()}); may leave the list. */
        abstract void checkDeadlines(long now);
    }

    static final long TICK_MS = 100;

    private final EventLoop loop;
    private Entry head;
    private ScheduledFuture<?> tick;
    private boolean idleTick;

    Deadlines(EventLoop loop) {
        this.loop = loop;
    }

    void add(Entry e) {
        if (e.linked) {
            return;
        }
        e.linked = true;
        e.prev = null;
        e.next = head;
        if (head != null) {
            head.prev = e;
        }
        head = e;
        idleTick = false;
        if (tick == null) {
            tick = loop.scheduleAtFixedRate(this::sweep, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    void remove(Entry e) {
        if (!e.linked) {
            return;
        }
        e.linked = false;
        if (e.prev != null) {
            e.prev.next = e.next;
        } else {
            head = e.next;
        }
        if (e.next != null) {
            e.next.prev = e.prev;
        }
        e.prev = null;
        e.next = null;
    }

    private void sweep() {
        if (head == null) {
            if (idleTick && tick != null) {
                tick.cancel(false);
                tick = null;
            }
            idleTick = true;
            return;
        }
        long now = System.nanoTime();
        Entry e = head;
        while (e != null) {
            Entry next = e.next;
            e.checkDeadlines(now);
            e = next;
        }
    }
}
