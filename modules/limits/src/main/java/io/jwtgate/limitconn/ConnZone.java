package io.jwtgate.limitconn;

import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.limits.LimitKey;
import io.jwtgate.limits.SlabPool;
import io.jwtgate.limits.ZoneOutcomes;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one {@code limit_conn_zone}: how many requests hold a slot of each key now, one count per key for
 * every event loop of the process (nginx's shared memory zone), in entries of the size nginx's would have, in a
 * {@link SlabPool} of the zone's size (docs/limits.md#limit_conn). A key's entry exists while its count is above
 * zero; a new key finds no room when the zone is full.
 *
 * <p>Thread-safe: every event loop counts in the same zone, under one lock held for a map operation, as nginx holds
 * the zone's mutex.
 */
final class ConnZone {

    // the same logger as the core's per-request errors, so error_log settings apply alike
    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /** nginx's entry: the tree node, then colour, key length and count ({@code ngx_http_limit_conn_node_t}). */
    private static final int NODE_HEADER = SlabPool.RBTREE_NODE_HEADER + 4;
    /** {@code sizeof(ngx_http_limit_conn_shctx_t)}: the tree and its sentinel, allocated when the zone is made. */
    private static final int TREE = 64;

    /** What {@link #acquire} did. */
    enum Acquired {
        /** The key's count went up by one; {@link #release} gives it back. */
        TAKEN,
        /** The key already had {@code limit} requests: nothing changed. */
        LIMITED,
        /** The key had no entry and the zone has no room for one: nothing changed. */
        NO_ROOM
    }

    private final String name;
    private ZoneOutcomes outcomes;
    private final LimitKey key;
    private final SlabPool pool;
    private final Map<String, Count> counts = new HashMap<>();

    /** A zone of {@code size} bytes, with what nginx allocates in it before the first entry. */
    ConnZone(String name, LimitKey key, long size) {
        this.name = name;
        this.key = key;
        this.pool = new SlabPool(size);
        // the zone's tree, and the " in limit_conn_zone "NAME"" its allocation errors end with; a zone of eight
        // pages or more always has room for them
        pool.alloc(TREE);
        pool.alloc(" in limit_conn_zone \"\"".length() + 1 + LimitKey.utf8Length(name));
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

    /** Takes one of {@code limit} slots of {@code k}. */
    synchronized Acquired acquire(String k, int limit) {
        Count c = counts.get(k);
        if (c == null) {
            int size = NODE_HEADER + LimitKey.utf8Length(k);
            if (!pool.alloc(size)) {
                return Acquired.NO_ROOM;
            }
            counts.put(k, new Count(size));
            return Acquired.TAKEN;
        }
        if (c.n >= limit) {
            return Acquired.LIMITED;
        }
        c.n++;
        return Acquired.TAKEN;
    }

    /** Gives back a slot {@link #acquire} took; the key's entry goes when its last slot does. */
    synchronized void release(String k) {
        Count c = counts.get(k);
        if (c == null) {
            throw new IllegalStateException("limit_conn zone \"" + name + "\" gives back a slot it did not count");
        }
        if (--c.n == 0) {
            counts.remove(k);
            pool.free(c.size);
        }
    }

    /** nginx's line when its slab allocator finds no room for an entry (at {@code crit}, without the request). */
    void logNoRoom() {
        ErrorLogLevel.CRIT.at(log).log("ngx_slab_alloc() failed: no memory in limit_conn_zone \"{}\"", name);
    }

    /** A key's count and the size of its entry. */
    private static final class Count {
        final int size;
        int n = 1;

        Count(int size) {
            this.size = size;
        }
    }
}
