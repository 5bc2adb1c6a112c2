package io.jwtgate.proxy;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's peer choice for one upstream group ({@code ngx_http_upstream_round_robin.c} and the balancer modules):
 * smooth weighted round robin over the primary servers, or the group's {@link Balancing} method ({@link KeyedChoice}
 * for the hash and random ones); a server that failed {@code max_fails} times within {@code fail_timeout} is skipped
 * for {@code fail_timeout}, one at {@code max_conns} is skipped, and the backup servers are used only when no primary
 * server is available. Without a {@code zone} each event loop has its own balancer, as each nginx worker keeps its
 * own state; with one, every loop shares one (its methods are {@code synchronized}, as nginx locks the shared zone).
 */
final class Balancer {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");

    /** One tier of peers (primary or backup) with its run-time state. */
    static final class Tier {
        final Peer[] peers;
        final int[] currentWeight;
        final int[] effectiveWeight;
        final int[] fails;
        final int[] conns;
        final long[] accessed;
        final long[] checked;
        /** The sum of the weights, down servers included (as nginx's {@code total_weight}). */
        final int totalWeight;

        Tier(Peer[] peers) {
            this.peers = peers;
            int n = peers.length;
            currentWeight = new int[n];
            effectiveWeight = new int[n];
            fails = new int[n];
            conns = new int[n];
            accessed = new long[n];
            checked = new long[n];
            int total = 0;
            for (int i = 0; i < n; i++) {
                effectiveWeight[i] = peers[i].weight();
                checked[i] = Long.MIN_VALUE / 2;
                total += peers[i].weight();
            }
            totalWeight = total;
        }

        /** Whether peer {@code i} may be chosen now: not down, not failed within fail_timeout, under max_conns. */
        boolean usable(int i, long now) {
            Peer p = peers[i];
            return !p.down()
                    && !(p.maxFails() > 0 && fails[i] >= p.maxFails() && now - checked[i] <= p.failTimeoutMs())
                    && !(p.maxConns() > 0 && conns[i] >= p.maxConns());
        }

        /** The index of the peer that weight {@code w} (below the total) falls on. */
        int byWeight(long w) {
            int p = 0;
            while (w >= peers[p].weight()) {
                w -= peers[p].weight();
                p++;
            }
            return p;
        }

        /** The smooth weighted round-robin step over the peers {@code candidate} admits; -1 when none does. */
        int smooth(IntPredicateAt candidate) {
            int best = -1;
            int total = 0;
            for (int i = 0; i < peers.length; i++) {
                if (!candidate.test(i)) {
                    continue;
                }
                currentWeight[i] += effectiveWeight[i];
                total += effectiveWeight[i];
                if (effectiveWeight[i] < peers[i].weight()) {
                    effectiveWeight[i]++;
                }
                if (best < 0 || currentWeight[i] > currentWeight[best]) {
                    best = i;
                }
            }
            if (best >= 0) {
                currentWeight[best] -= total;
            }
            return best;
        }
    }

    /** A test of peer {@code i} of a tier. */
    @FunctionalInterface
    interface IntPredicateAt {
        boolean test(int i);
    }

    /** The per-request state of peer selection: which tier, which peers were tried, how many tries are left. */
    static final class Selection {
        int tier;
        long tried;
        int index = -1;
        int tries;
        /** {@code hash}: the key; {@code ip_hash}: the client address bytes; else empty. */
        final byte[] key;
        /** The keyed methods' draws so far; after 20 they fall back to round robin, as nginx. */
        int draws;
        /** The keyed methods' running hash (or ring index), kept between the tries of one request. */
        long hash;
        int rehash;

        Selection(byte[] key) {
            this.key = key;
        }
    }

    final Tier[] tiers;
    final boolean single;
    final Balancing method;
    final ConsistentHashPoints points;
    private final LongSupplier clock;

    Balancer(Peer[] primary, Peer[] backup, Balancing method, LongSupplier clock) {
        this.tiers = backup.length == 0 ? new Tier[] {new Tier(primary)}
                : new Tier[] {new Tier(primary), new Tier(backup)};
        this.single = primary.length == 1 && backup.length == 0;
        this.method = method;
        this.points = method.kind == Balancing.Kind.CONSISTENT_HASH ? new ConsistentHashPoints(primary) : null;
        this.clock = clock;
    }

    /**
     * Starts a selection for one request: as many tries as there are servers not marked {@code down}, primary and
     * backup together, at most {@code maxTries} when that is positive ({@code proxy_next_upstream_tries}).
     * {@code key} is the hash key or client address of a keyed method, else empty.
     */
    Selection start(byte[] key, int maxTries) {
        Selection s = new Selection(key);
        for (Tier t : tiers) {
            for (Peer p : t.peers) {
                if (!p.down()) {
                    s.tries++;
                }
            }
        }
        if (maxTries > 0 && s.tries > maxTries) {
            s.tries = maxTries;
        }
        if (method.kind == Balancing.Kind.IP_HASH) {
            s.hash = KeyedChoice.IP_HASH_SEED;
        } else if (points != null) {
            s.hash = points.find(ConsistentHashPoints.crc32(key));
        }
        return s;
    }

    /**
     * Whether {@code peer} is failed now: {@code max_fails} failures within {@code fail_timeout} (a single server
     * never is, as in nginx). Read at a scrape, from another thread, without the lock: a moment late at worst.
     */
    boolean failed(Peer peer) {
        if (single) {
            return false;
        }
        long now = clock.getAsLong();
        for (Tier t : tiers) {
            for (int i = 0; i < t.peers.length; i++) {
                if (t.peers[i] == peer) {
                    return peer.maxFails() > 0 && t.fails[i] >= peer.maxFails()
                            && now - t.checked[i] <= peer.failTimeoutMs();
                }
            }
        }
        return false;
    }

    /** The next peer to try, or {@code null} when every peer is down, busy or already tried (nginx: NGX_BUSY). */
    synchronized Peer pick(Selection s) {
        long now = clock.getAsLong();
        int i = -1;
        if (!single) {
            i = switch (method.kind) {
                case ROUND_ROBIN -> -1;
                case LEAST_CONN -> leastConn(s, now);
                default -> KeyedChoice.pick(this, s, now);
            };
        }
        if (i < 0 && (single || method.kind != Balancing.Kind.LEAST_CONN)) {
            i = roundRobin(s, now);
        }
        if (i < 0) {
            return null;
        }
        Tier t = tiers[s.tier];
        s.index = i;
        t.conns[i]++;
        if (!single) {
            s.tried |= 1L << i;
            if (now - t.checked[i] > t.peers[i].failTimeoutMs()) {
                t.checked[i] = now;
            }
        }
        return t.peers[i];
    }

    /** {@code ngx_http_upstream_get_round_robin_peer}: the tier's smooth weighted step, then the backup tier. */
    private int roundRobin(Selection s, long now) {
        if (single) {
            // a single server is never marked failed, as nginx's
            Peer p = tiers[0].peers[0];
            return p.down() || p.maxConns() > 0 && tiers[0].conns[0] >= p.maxConns() ? -1 : 0;
        }
        while (true) {
            Tier t = tiers[s.tier];
            long tried = s.tried;
            int best = t.smooth(i -> (tried & (1L << i)) == 0 && t.usable(i, now));
            if (best >= 0 || !nextTier(s)) {
                return best;
            }
        }
    }

    /**
     * {@code ngx_http_upstream_get_least_conn_peer}: the fewest connections for the weight, round robin among
     * equals, then the backup tier.
     */
    private int leastConn(Selection s, long now) {
        while (true) {
            Tier t = tiers[s.tier];
            int best = -1;
            boolean many = false;
            for (int i = 0; i < t.peers.length; i++) {
                if ((s.tried & (1L << i)) != 0 || !t.usable(i, now)) {
                    continue;
                }
                if (best < 0 || (long) t.conns[i] * t.peers[best].weight()
                        < (long) t.conns[best] * t.peers[i].weight()) {
                    best = i;
                    many = false;
                } else if ((long) t.conns[i] * t.peers[best].weight()
                        == (long) t.conns[best] * t.peers[i].weight()) {
                    many = true;
                }
            }
            if (best >= 0 && many) {
                int first = best;
                long tried = s.tried;
                best = t.smooth(i -> i >= first && (tried & (1L << i)) == 0 && t.usable(i, now)
                        && (long) t.conns[i] * t.peers[first].weight()
                                == (long) t.conns[first] * t.peers[i].weight());
            }
            if (best >= 0 || !nextTier(s)) {
                return best;
            }
        }
    }

    /** Moves the selection to the backup tier, if there is one and it is not there yet. */
    private boolean nextTier(Selection s) {
        if (s.tier + 1 >= tiers.length) {
            return false;
        }
        s.tier++;
        s.tried = 0;
        return true;
    }

    /** {@code ngx_http_upstream_free_round_robin_peer}: the attempt on the picked peer is over. */
    synchronized void free(Selection s, boolean failed) {
        if (s.index < 0) {
            return;
        }
        Tier t = tiers[s.tier];
        int i = s.index;
        s.index = -1;
        t.conns[i]--;
        if (single) {
            s.tries = 0;
            return;
        }
        Peer p = t.peers[i];
        if (failed) {
            long now = clock.getAsLong();
            t.fails[i]++;
            t.accessed[i] = now;
            t.checked[i] = now;
            if (p.maxFails() > 0) {
                t.effectiveWeight[i] -= p.weight() / p.maxFails();
                if (t.fails[i] >= p.maxFails()) {
                    log.warn("upstream server temporarily disabled, upstream: \"{}\"", p.name());
                }
            }
            if (t.effectiveWeight[i] < 0) {
                t.effectiveWeight[i] = 0;
            }
        } else if (t.accessed[i] < t.checked[i]) {
            t.fails[i] = 0;
        }
        if (s.tries > 0) {
            s.tries--;
        }
    }
}
