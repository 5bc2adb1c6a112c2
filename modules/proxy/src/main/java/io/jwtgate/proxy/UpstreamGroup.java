package io.jwtgate.proxy;

import io.jwtgate.core.module.HttpInit;
import io.netty.channel.EventLoop;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * An upstream: an {@code upstream} block or the implicit one nginx creates for a {@code proxy_pass} host. The
 * settings are immutable, and so are the peers unless {@code server ... resolve} lines make them follow DNS
 * ({@link UpstreamResolution}, which {@linkplain #replacePeers replaces} them as a whole); the balancer state and the
 * keep-alive pool exist once per event loop ({@link #on(EventLoop)}), as nginx keeps them once per worker, except
 * that with a {@code zone} one balancer (peer failures and connection counts) serves every loop, as nginx's shared
 * zone serves every worker.
 */
final class UpstreamGroup implements HttpInit.Lifecycle {

    /** The peers of a generation, and with a {@code zone} the balancer every loop shares over them. */
    private record Peers(Peer[] primary, Peer[] backup, int generation, Balancer shared) {
    }

    /** What one event loop keeps for this upstream. */
    static final class Local {
        /** The balancer over the peers of {@link #generation}; a request keeps the one it started with. */
        Balancer balancer;
        int generation;
        /** {@code null} without {@code keepalive}. */
        final UpstreamPool pool;
        final Deadlines deadlines;

        Local(Balancer balancer, int generation, UpstreamPool pool, Deadlines deadlines) {
            this.balancer = balancer;
            this.generation = generation;
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
    /** The peers in force; replaced as a whole. */
    private volatile Peers peers;
    /** The {@code server ... resolve} lines of the block, or {@code null}. */
    UpstreamResolution resolution;
    final int keepalive;
    final long keepaliveTimeoutMs;
    final int keepaliveRequests;
    final Balancing balancing;
    private final boolean zone;
    private final LongSupplier clock;
    private final ConcurrentHashMap<EventLoop, Local> locals = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    /** The series this group counts into; set once the configuration is read ({@link UpstreamMetrics}). */
    UpstreamMetrics.Group metrics;

    UpstreamGroup(String name, Peer[] primary, Peer[] backup, Balancing balancing, boolean zone, int keepalive,
            long keepaliveTimeoutMs, int keepaliveRequests, LongSupplier clock) {
        this.name = name;
        this.keepalive = keepalive;
        this.keepaliveTimeoutMs = keepaliveTimeoutMs;
        this.keepaliveRequests = keepaliveRequests;
        this.balancing = balancing;
        this.zone = zone;
        this.clock = clock;
        this.peers = peers(primary, backup, 0);
    }

    private Peers peers(Peer[] primary, Peer[] backup, int generation) {
        return new Peers(primary, backup, generation,
                zone ? new Balancer(primary, backup, balancing, clock) : null);
    }

    /** A balancer for one loop over the peers of {@code p}: the shared one with a {@code zone}. */
    private Balancer balancer(Peers p) {
        return p.shared() != null ? p.shared() : new Balancer(p.primary(), p.backup(), balancing, clock);
    }

    /** A one-peer group without pool, for a {@code proxy_pass} with variables that names an address. */
    static UpstreamGroup transientPeer(String name, Peer peer, UpstreamMetrics.Group metrics) {
        UpstreamGroup g = new UpstreamGroup(name, new Peer[] {peer}, new Peer[0], Balancing.ROUND_ROBIN, false, 0, 0,
                0, UpstreamGroup::millis);
        g.metrics = metrics;
        return g;
    }

    static long millis() {
        return System.nanoTime() / 1_000_000;
    }

    /** Puts new peers in place of the old; each loop's balancer starts over with them (nginx keeps the state of the
     * addresses that stay; jwtgate's fresh balancer forgets their failures). */
    synchronized void replacePeers(Peer[] primary, Peer[] backup) {
        peers = peers(primary, backup, peers.generation() + 1);
    }

    /** This event loop's balancer and pool, created on first use. Call on {@code loop}. */
    Local on(EventLoop loop) {
        Local l = locals.get(loop);
        Peers now = peers;
        if (l != null && l.generation != now.generation()) {
            l.balancer = balancer(now);
            l.generation = now.generation();
        }
        if (l == null) {
            l = locals.computeIfAbsent(loop, k -> new Local(balancer(now), now.generation(),
                    keepalive > 0 ? new UpstreamPool(k, keepalive, keepaliveTimeoutMs, keepaliveRequests) : null,
                    new Deadlines(k)));
            if (stopped && l.pool != null) {
                l.pool.close();
            }
        }
        return l;
    }

    /** The servers as written, in order: those of the peers, then those resolved at run time. */
    Set<String> servers() {
        Set<String> s = new LinkedHashSet<>();
        Peers p = peers;
        for (Peer[] tier : new Peer[][] {p.primary(), p.backup()}) {
            for (Peer peer : tier) {
                s.add(peer.server());
            }
        }
        if (resolution != null) {
            for (UpstreamResolution.Server r : resolution.servers()) {
                s.add(r.server());
            }
        }
        return s;
    }

    /**
     * The addresses of {@code server} that are {@code up} (or down: marked {@code down}, or failed in the balancer
     * of any event loop, the shared one with a {@code zone}). Read at a scrape, off the loops: the balancers' counts
     * are read without their locks, so a change may show a moment late.
     */
    int addresses(String server, boolean up) {
        Peers p = peers;
        int n = 0;
        for (Peer[] tier : new Peer[][] {p.primary(), p.backup()}) {
            for (Peer peer : tier) {
                if (peer.server().equals(server) && down(p, peer) != up) {
                    n++;
                }
            }
        }
        return n;
    }

    private boolean down(Peers p, Peer peer) {
        if (peer.down()) {
            return true;
        }
        if (p.shared() != null) {
            return p.shared().failed(peer);
        }
        for (Local l : locals.values()) {
            if (l.generation == p.generation() && l.balancer.failed(peer)) {
                return true;
            }
        }
        return false;
    }

    /** The kept-alive connections of every event loop, read at a scrape. */
    long idleConnections() {
        long n = 0;
        for (Local l : locals.values()) {
            if (l.pool != null) {
                n += l.pool.idleCount();
            }
        }
        return n;
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
