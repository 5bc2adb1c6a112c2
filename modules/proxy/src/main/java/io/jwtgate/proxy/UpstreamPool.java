package io.jwtgate.proxy;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * nginx's {@code keepalive N} cache for one upstream group on one event loop: up to {@code N} idle connections, the
 * most recently used first; when full, the oldest is closed. A connection is taken only for the peer the balancer
 * chose. Idle connections are closed after {@code keepalive_timeout} and after {@code keepalive_requests} requests.
 * Not thread-safe: used on its event loop only.
 */
final class UpstreamPool {

    private final EventLoop loop;
    private final int max;
    private final long timeoutNanos;
    private final int maxRequests;
    private final ArrayDeque<UpstreamHandler> idle = new ArrayDeque<>();
    private ScheduledFuture<?> sweeper;
    private boolean closed;
    /** The size of {@link #idle}, for the metrics read on another thread. */
    private volatile int idleCount;

    UpstreamPool(EventLoop loop, int max, long timeoutMs, int maxRequests) {
        this.loop = loop;
        this.max = max;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.maxRequests = maxRequests;
    }

    /**
     * An idle, open connection to {@code peer} with the same TLS context and name ({@code null} for plain TCP),
     * removed from the pool; {@code null} when there is none.
     */
    UpstreamHandler take(Peer peer, UpstreamTls tls, String tlsName) {
        long now = System.nanoTime();
        for (Iterator<UpstreamHandler> it = idle.iterator(); it.hasNext(); ) {
            UpstreamHandler h = it.next();
            if (h.peer != peer || h.tls != tls || !Objects.equals(h.tlsName, tlsName)) {
                continue;
            }
            it.remove();
            idleCount = idle.size();
            h.idle = false;
            if (!h.channel().isActive() || now - h.idleSinceNanos >= timeoutNanos) {
                h.channel().close();
                continue;
            }
            return h;
        }
        return null;
    }

    /**
     * Keeps a connection whose last response ended cleanly, or closes it when it has served
     * {@code keepalive_requests} requests or the configuration was replaced.
     */
    void release(UpstreamHandler h) {
        h.detach();
        if (closed || h.requests >= maxRequests || !h.channel().isActive()) {
            h.channel().close();
            return;
        }
        if (idle.size() >= max) {
            UpstreamHandler oldest = idle.pollLast();
            oldest.idle = false;
            oldest.channel().close();
        }
        h.idle = true;
        h.idleSinceNanos = System.nanoTime();
        idle.addFirst(h);
        idleCount = idle.size();
        // read while idle, so that a close by the upstream is noticed at once and the connection evicted
        h.channel().read();
        if (sweeper == null) {
            long period = Math.max(TimeUnit.NANOSECONDS.toMillis(timeoutNanos), 100);
            sweeper = loop.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** The upstream closed an idle connection. */
    void evict(UpstreamHandler h) {
        h.idle = false;
        idle.remove(h);
        idleCount = idle.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        while (!idle.isEmpty() && now - idle.peekLast().idleSinceNanos >= timeoutNanos) {
            UpstreamHandler h = idle.pollLast();
            h.idle = false;
            h.channel().close();
        }
        idleCount = idle.size();
        if (idle.isEmpty() && sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }

    /** Closes every idle connection and keeps none from now on (the configuration was replaced). */
    void close() {
        closed = true;
        if (sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
        UpstreamHandler h;
        while ((h = idle.poll()) != null) {
            h.idle = false;
            h.channel().close();
        }
        idleCount = 0;
    }

    /** The idle connections; may be read on any thread. */
    int idleCount() {
        return idleCount;
    }
}
