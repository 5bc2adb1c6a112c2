package io.jwtgate.limitreq;

import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.limits.LimitKey;
import io.jwtgate.limits.SlabPool;
import io.jwtgate.limits.ZoneOutcomes;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one {@code limit_req_zone}, shared by every event loop of the process as nginx's shared memory zone is
 * by its workers: one leaky bucket per key, nginx's {@code ngx_http_limit_req_lookup}, {@code _account} and
 * {@code _expire} (docs/limits.md#limit_req).
 *
 * <p>nginx takes one mutex per zone for every lookup. Here a lookup of a key already in the zone (the hit path) locks
 * only that key's entry, so event loops serving different keys never wait for each other; the zone's lock is taken
 * only to add an entry, which is also when old entries are expired and when the zone's memory is accounted
 * ({@link SlabPool}). nginx keeps its entries in a queue ordered by last use and moves an entry to the front at each
 * lookup; here a lookup only stamps the entry with the time of its use, and the queue is a heap ordered by the stamp
 * an entry had when it was last put in: the entry at its head is the least recently used one once it is put back
 * with its newer stamp while its stamp is out of date, which only the (locked) adding of an entry does.
 */
final class RequestZone {

    // the same logger as the core's per-request errors, so error_log settings apply alike
    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /** {@code offsetof(ngx_http_limit_req_node_t, data)} on 64 bits: colour, length, queue, last, excess, count. */
    static final int ENTRY_HEADER = 48;
    /** The longest key an entry stores (its length is a 16-bit field in nginx). */
    static final int MAX_KEY_BYTES = 65535;
    /** The zone's own allocations when it is created: its tree and queue (80 bytes), the name for its log lines. */
    private static final int TREE_SIZE = 80;
    private static final String LOG_CONTEXT = " in limit_req zone \"\"";

    /** Lookup results, nginx's return codes of {@code ngx_http_limit_req_lookup}. */
    static final int OK = 0;
    static final int AGAIN = 1;
    static final int BUSY = 2;
    static final int ERROR = 3;

    private final String name;
    private ZoneOutcomes outcomes;
    private final LimitKey key;
    private final long rate;
    /** The longest time {@code rate * ms} can be computed for; anything longer drains any excess. */
    private final long maxElapsed;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final SlabPool pool; // guarded by lock
    private final PriorityQueue<Entry> lru = new PriorityQueue<>(Comparator.comparingLong(e -> e.queued)); // by lock

    /**
     * @param rate in thousandths of a request per second ({@code 1r/m} is 16, as nginx rounds it)
     */
    RequestZone(String name, long size, LimitKey key, long rate) {
        this.name = name;
        this.key = key;
        this.rate = rate;
        this.maxElapsed = Long.MAX_VALUE / rate;
        this.pool = new SlabPool(size);
        // as ngx_http_limit_req_init_zone: a zone of at least eight pages always has room for these
        pool.alloc(TREE_SIZE);
        pool.alloc(LOG_CONTEXT.length() + 1 + name.length());
    }

    String name() {
        return name;
    }

    /** This zone's outcome counts, set in post-configuration. */
    void outcomes(ZoneOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    ZoneOutcomes outcomes() {
        return outcomes;
    }

    LimitKey key() {
        return key;
    }

    long rate() {
        return rate;
    }

    /** How many entries the zone holds now. */
    int size() {
        return entries.size();
    }

    /**
     * One key's bucket, nginx's {@code ngx_http_limit_req_node_t}. {@code excess} is in thousandths of a request,
     * {@code last} the millisecond of the last accounting; both, {@code count} and {@code removed} are guarded by
     * the entry's monitor.
     */
    static final class Entry {
        final String key;
        final int size;
        long excess;
        long last;
        /** Requests between their lookup and their accounting, which keep the entry from being expired. */
        int count;
        boolean removed;
        /** {@link System#nanoTime()} of the last lookup: the order of use. */
        volatile long used;
        /** The {@link #used} it had when it was put in the queue; guarded by the zone's lock. */
        long queued;

        Entry(String key, int size) {
            this.key = key;
            this.size = size;
        }
    }

    /**
     * Looks {@code key} up at {@code nanos} ({@link System#nanoTime()}, whose milliseconds are nginx's
     * {@code ngx_current_msec}: the monotonic clock), nginx's {@code ngx_http_limit_req_lookup}: its excess after
     * this request goes to {@code out.excess}; {@link #BUSY} when that is over {@code burst} (thousandths), else with
     * {@code account} the excess is stored ({@link #OK}), without it the entry is held for {@link #account} or
     * {@link #release} ({@link #AGAIN}, the entry in {@code out.entry}); {@link #ERROR} when a new entry finds no
     * room even after the oldest one was dropped.
     */
    int lookup(String key, long burst, boolean account, long nanos, Outcome out) {
        long now = nanos / 1_000_000;
        for (;;) {
            Entry e = entries.get(key);
            if (e == null) {
                int rc = add(key, account, nanos, out);
                if (rc >= 0) {
                    return rc;
                }
                continue; // another event loop added it meanwhile
            }
            synchronized (e) {
                if (e.removed) {
                    continue; // expired meanwhile: the key is new again
                }
                e.used = nanos;
                long excess = Math.max(0, e.excess - drained(elapsed(now, e.last)) + 1000);
                out.excess = excess;
                if (excess > burst) {
                    return BUSY;
                }
                if (account) {
                    store(e, excess, now);
                    return OK;
                }
                e.count++;
                out.entry = e;
                return AGAIN;
            }
        }
    }

    /**
     * Accounts a request held by {@link #lookup} ({@link #AGAIN}) at {@code nanos}, nginx's
     * {@code ngx_http_limit_req_account}; returns the entry's excess.
     */
    long account(Entry e, long nanos) {
        long now = nanos / 1_000_000;
        synchronized (e) {
            long excess = Math.max(0, e.excess - drained(elapsed(now, e.last)) + 1000);
            store(e, excess, now);
            e.count--;
            return excess;
        }
    }

    /** Lets go of an entry held by {@link #lookup} without accounting the request (a later limit rejected it). */
    void release(Entry e) {
        synchronized (e) {
            e.count--;
        }
    }

    private static void store(Entry e, long excess, long now) {
        long ms = elapsed(now, e.last);
        e.excess = excess;
        if (ms != 0) {
            e.last = now;
        }
    }

    /**
     * What {@code ms} milliseconds drain from a bucket, in thousandths; a time so long that the product would not
     * fit a long drains everything.
     */
    private long drained(long ms) {
        return ms > maxElapsed ? Long.MAX_VALUE / 2 : rate * ms / 1000;
    }

    /** Milliseconds since {@code last}, as nginx reads a clock that went back: a little is 0, much is 1. */
    private static long elapsed(long now, long last) {
        long ms = now - last;
        return ms < -60000 ? 1 : Math.max(0, ms);
    }

    private int add(String key, boolean account, long nanos, Outcome out) {
        long now = nanos / 1_000_000;
        lock.lock();
        try {
            if (entries.containsKey(key)) {
                return -1;
            }
            out.excess = 0;
            int size = SlabPool.RBTREE_NODE_HEADER + ENTRY_HEADER + LimitKey.utf8Length(key);
            expire(1, now);
            if (!pool.alloc(size)) {
                expire(0, now);
                if (!pool.alloc(size)) {
                    ErrorLogLevel.ALERT.at(log).log("could not allocate node in limit_req zone \"{}\"", name);
                    return ERROR;
                }
            }
            Entry e = new Entry(key, size);
            e.used = nanos;
            e.queued = e.used;
            if (account) {
                e.last = now;
            } else {
                e.count = 1;
                out.entry = e;
            }
            entries.put(key, e);
            lru.add(e);
            return account ? OK : AGAIN;
        } finally {
            lock.unlock();
        }
    }

    /**
     * nginx's {@code ngx_http_limit_req_expire}: drops the least recently used entry when {@code n} is 0, then one or
     * two more as long as the oldest has been idle a minute and its excess has drained; stops at an entry a request
     * holds. Called under the zone's lock.
     */
    private void expire(int n, long now) {
        while (n < 3) {
            Entry e = lru.peek();
            if (e == null) {
                return;
            }
            synchronized (e) {
                if (e.used != e.queued) {
                    // used since it was queued: back in with its newer stamp, then look at the head again
                    lru.poll();
                    e.queued = e.used;
                    lru.add(e);
                    continue;
                }
                if (e.count != 0) {
                    return;
                }
                if (n++ != 0) {
                    long ms = Math.abs(now - e.last);
                    if (ms < 60000 || e.excess - drained(ms) > 0) {
                        return;
                    }
                }
                e.removed = true;
            }
            lru.poll();
            entries.remove(e.key, e);
            pool.free(e.size);
        }
    }

    /** What one lookup found: the excess, and the entry it holds when it returned {@link #AGAIN}. */
    static final class Outcome {
        long excess;
        Entry entry;
    }
}
