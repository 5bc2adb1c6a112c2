package io.jwtgate.core.server;

import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.module.ConnectionCounts;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's client connections against {@code worker_connections}, kept per loop as nginx keeps them per
 * worker: how many are open, and which of them wait for a request (new, or idle in keep-alive), oldest first. When
 * slots run short those are closed to make room, as nginx reuses its "reusable" connections; a connection in the
 * middle of a request never is. Touched only on its own loop, so it needs no locks. See
 * {@code docs/configuration.md}, {@code worker_connections}.
 */
final class LoopConnections {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.server");
    /** nginx closes at most this many waiting connections for one new connection. */
    private static final int MAX_REUSED = 32;
    /** At most one line per interval for each kind of shortage. */
    private static final long LOG_INTERVAL = TimeUnit.SECONDS.toNanos(1);

    private int open;
    private int waiting;
    private Slot oldest;
    private Slot newest;
    private long reuseLoggedAt = System.nanoTime() - LOG_INTERVAL;
    private long refusalLoggedAt = System.nanoTime() - LOG_INTERVAL;
    private int refusalsNotLogged;
    /** This loop's connection counts, made on its first connection. */
    private ConnectionCounts.Shard shard;

    /**
     * Takes a slot for {@code ch}, first closing some of the oldest waiting connections when at most a sixteenth of
     * {@code limit} is free (nginx's {@code ngx_drain_connections}); {@code null} when every slot stays taken.
     * Counts the connection in {@code counts} as nginx's {@code stub_status} does: accepted, then handled if admitted.
     */
    Slot admit(Channel ch, int limit, ConnectionCounts counts) {
        if (shard == null) {
            shard = counts.newShard();
        }
        shard.accepted();
        if (limit - open <= limit / 16 && waiting > 0) {
            reuse(limit);
        }
        if (open >= limit) {
            refuse(ch, limit);
            return null;
        }
        open++;
        shard.admitted();
        Slot slot = new Slot(ch, shard);
        ch.closeFuture().addListener(f -> slot.release());
        return slot;
    }

    private void reuse(int limit) {
        int wanted = Math.max(Math.min(MAX_REUSED, waiting / 8), 1);
        int closed = 0;
        while (closed < wanted && oldest != null) {
            Slot s = oldest;
            s.busy();
            // a connection whose next request has begun to arrive is no longer waiting: it stays
            HttpConnection c = s.channel.pipeline().get(HttpConnection.class);
            if (c != null && c.closeIfIdle()) {
                s.release();
                closed++;
            }
        }
        long now = System.nanoTime();
        if (closed > 0 && now - reuseLoggedAt >= LOG_INTERVAL) {
            reuseLoggedAt = now;
            log.warn("{} worker_connections are not enough, reusing connections", limit);
        }
    }

    private void refuse(Channel ch, int limit) {
        long now = System.nanoTime();
        if (now - refusalLoggedAt < LOG_INTERVAL) {
            refusalsNotLogged++;
            return;
        }
        refusalLoggedAt = now;
        if (refusalsNotLogged == 0) {
            log.error("{} worker_connections are not enough, closing {}", limit,
                    ErrorContext.client(ch.remoteAddress()));
        } else {
            log.error("{} worker_connections are not enough, closing {} ({} more closed since the last message)",
                    limit, ErrorContext.client(ch.remoteAddress()), refusalsNotLogged);
            refusalsNotLogged = 0;
        }
    }

    /**
     * One admitted connection's slot; a link in the list of waiting connections while it waits for a request. It
     * also keeps the connection's {@link ConnectionCounts.State} for {@code stub_status}.
     */
    final class Slot {

        private final Channel channel;
        private final ConnectionCounts.Shard counts;
        private ConnectionCounts.State state = ConnectionCounts.State.NONE;
        private Slot older;
        private Slot newer;
        private boolean listed;
        private boolean released;

        private Slot(Channel channel, ConnectionCounts.Shard counts) {
            this.channel = channel;
            this.counts = counts;
        }

        private void state(ConnectionCounts.State to) {
            counts.move(state, to);
            state = to;
        }

        /**
         * The first bytes of a request arrived on a waiting connection: it is reading, and the request counts from
         * now on, as nginx creates its request then.
         */
        void reading() {
            if (state == ConnectionCounts.State.WAITING) {
                state(ConnectionCounts.State.READING);
                counts.requestStarted();
            }
        }

        /** A request head is in: the request runs until the connection waits again or closes. */
        void writing() {
            if (state != ConnectionCounts.State.READING) {
                counts.requestStarted(); // a pipelined request, whose bytes came with the previous one
            }
            state(ConnectionCounts.State.WRITING);
        }

        /** The connection waits for its next request: it may be closed to make room. */
        void waiting() {
            if (released) {
                return;
            }
            if (state != ConnectionCounts.State.WAITING) {
                state(ConnectionCounts.State.WAITING);
            }
            if (listed) {
                return;
            }
            listed = true;
            older = newest;
            if (newest == null) {
                oldest = this;
            } else {
                newest.newer = this;
            }
            newest = this;
            waiting++;
        }

        /** A request has begun: the connection is not closed to make room. */
        void busy() {
            if (!listed) {
                return;
            }
            listed = false;
            if (older == null) {
                oldest = newer;
            } else {
                older.newer = newer;
            }
            if (newer == null) {
                newest = older;
            } else {
                newer.older = older;
            }
            older = null;
            newer = null;
            waiting--;
        }

        private void release() {
            if (!released) {
                released = true;
                busy();
                open--;
                counts.closed(state);
                state = ConnectionCounts.State.NONE;
            }
        }
    }
}
