package io.jwtgate.proxy;

import io.jwtgate.core.module.HttpInit;
import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * An upstream: an {@code upstream} block or the implicit one nginx creates for a {@code proxy_pass} host. The peers
 * and settings are immutable; the balancer state and the keep-alive pool exist once per event loop
 * ({@link #on(EventLoop)}), as nginx keeps them once per worker, except that with a {@code zone} one balancer (peer
 * failures and connection counts) serves every loop, as nginx's shared zone serves every worker.
 */
final class UpstreamGroup implements HttpInit.Lifecycle {

    /** What one event loop keeps for this upstream. */
    static final class Local {
        final Balancer balancer;
        /** {@code null} without {@code keepalive}. */
        final UpstreamPool pool;
        final Deadlines deadlines;

        Local(Balancer balancer, UpstreamPool pool, Deadlines deadlines) {
            this.balancer = balancer;
            this.pool = pool;
            this.deadlines = deadlines;
        }
    }

    /**
     * nginx's defaults for an upstream's idle connections: {@code keepalive_timeout 60s},
     * {@code keepalive_requests 1000}.
     */
    static final long DEFAULT_KEEPALIVE_TIMEOUT_MS = 60_000;
    static final int DEFAULT_KEEPALIVE_REQUESTS = 1000;

    final String name;
    final Peer[] primary;
    final Peer[] backup;
    final int keepalive;
    final long keepaliveTimeoutMs;
    final int keepaliveRequests;
    final Balancing balancing;
    /** The balancer every loop shares ({@code zone}), else {@code null}. */
    private final Balancer shared;
    private final LongSupplier clock;
    private final ConcurrentHashMap<EventLoop, Local> locals = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    UpstreamGroup(String name, Peer[] primary, Peer[] backup, Balancing balancing, boolean zone, int keepalive,
            long keepaliveTimeoutMs, int keepaliveRequests, LongSupplier clock) {
        this.name = name;
        this.primary = primary;
        this.backup = backup;
        this.keepalive = keepalive;
        this.keepaliveTimeoutMs = keepaliveTimeoutMs;
        this.keepaliveRequests = keepaliveRequests;
        this.balancing = balancing;
        this.clock = clock;
        this.shared = zone ? new Balancer(primary, backup, balancing, clock) : null;
    }

    /** A one-peer group without pool, for a {@code proxy_pass} with variables that names an address. */
    static UpstreamGroup transientPeer(String name, Peer peer) {
        return new UpstreamGroup(name, new Peer[] {peer}, new Peer[0], Balancing.ROUND_ROBIN, false, 0, 0, 0,
                UpstreamGroup::millis);
    }

    static long millis() {
        return System.nanoTime() / 1_000_000;
    }

    /** This event loop's balancer and pool, created on first use. Call on {@code loop}. */
    Local on(EventLoop loop) {
        Local l = locals.get(loop);
        if (l == null) {
            l = locals.computeIfAbsent(loop, k -> new Local(
                    shared != null ? shared : new Balancer(primary, backup, balancing, clock),
                    keepalive > 0 ? new UpstreamPool(k, keepalive, keepaliveTimeoutMs, keepaliveRequests) : null,
                    new Deadlines(k)));
            if (stopped && l.pool != null) {
                l.pool.close();
            }
        }
        return l;
    }

    @Override
    public void start() {
    }

    /** The configuration was replaced: close the idle connections of every loop, each on its own loop. */
    @Override
    public void stop() {
        stopped = true;
        locals.forEach((loop, l) -> {
            if (l.pool != null) {
                try {
                    loop.execute(l.pool::close);
                } catch (RuntimeException e) {
                    // the loop is shutting down and closes its channels anyway
                }
            }
        });
    }

    @Override
    public String toString() {
        return "upstream " + name;
    }
}
