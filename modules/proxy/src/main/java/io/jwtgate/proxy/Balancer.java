package io.jwtgate.proxy;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's round-robin balancer ({@code ngx_http_upstream_round_robin.c}) for one upstream group on one event loop:
 * smooth weighted round robin over the primary servers, a server that failed {@code max_fails} times within
 * {@code fail_timeout} is skipped for {@code fail_timeout}, and the backup servers are used only when no primary
 * server is available. Like nginx without a shared {@code zone}, each event loop (nginx: each worker) keeps its own
 * state. Not thread-safe: used on its event loop only.
 */
final class Balancer {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");

    /** One tier of peers (primary or backup) with its run-time state. */
    private static final class Tier {
        final Peer[] peers;
        final int[] currentWeight;
        final int[] effectiveWeight;
        final int[] fails;
        final long[] accessed;
        final long[] checked;

        Tier(Peer[] peers) {
            this.peers = peers;
            int n = peers.length;
            currentWeight = new int[n];
            effectiveWeight = new int[n];
            fails = new int[n];
            accessed = new long[n];
            checked = new long[n];
            for (int i = 0; i < n; i++) {
                effectiveWeight[i] = peers[i].weight();
                checked[i] = Long.MIN_VALUE / 2;
            }
        }
    }

    /** The per-request state of peer selection: which tier, which peers were tried, how many tries are left. */
    static final class Selection {
        int tier;
        long tried;
        int index = -1;
        int tries;
    }

    private final Tier[] tiers;
    private final boolean single;
    private final LongSupplier clock;

    Balancer(Peer[] primary, Peer[] backup, LongSupplier clock) {
        this.tiers = backup.length == 0 ? new Tier[] {new Tier(primary)}
                : new Tier[] {new Tier(primary), new Tier(backup)};
        this.single = primary.length == 1 && backup.length == 0;
        this.clock = clock;
    }

    /** Starts a selection for one request: as many tries as there are peers, primary and backup together. */
    Selection start() {
        Selection s = new Selection();
        s.tries = tiers[0].peers.length + (tiers.length > 1 ? tiers[1].peers.length : 0);
        return s;
    }

    /** The next peer to try, or {@code null} when every peer is down or already tried (nginx: NGX_BUSY). */
    Peer pick(Selection s) {
        if (single) {
            Peer p = tiers[0].peers[0];
            s.index = 0;
            return p.down() ? null : p;
        }
        long now = clock.getAsLong();
        while (true) {
            Tier t = tiers[s.tier];
            int best = best(t, s.tried, now);
            if (best >= 0) {
                s.index = best;
                s.tried |= 1L << best;
                return t.peers[best];
            }
            if (s.tier + 1 < tiers.length) {
                s.tier++;
                s.tried = 0;
                continue;
            }
            return null;
        }
    }

    /** {@code ngx_http_upstream_get_peer}: the smooth weighted round-robin step. */
    private static int best(Tier t, long tried, long now) {
        int best = -1;
        int total = 0;
        Peer[] peers = t.peers;
        for (int i = 0; i < peers.length; i++) {
            if ((tried & (1L << i)) != 0) {
                continue;
            }
            Peer p = peers[i];
            if (p.down()) {
                continue;
            }
            if (p.maxFails() > 0 && t.fails[i] >= p.maxFails() && now - t.checked[i] <= p.failTimeoutMs()) {
                continue;
            }
            t.currentWeight[i] += t.effectiveWeight[i];
            total += t.effectiveWeight[i];
            if (t.effectiveWeight[i] < p.weight()) {
                t.effectiveWeight[i]++;
            }
            if (best < 0 || t.currentWeight[i] > t.currentWeight[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return -1;
        }
        t.currentWeight[best] -= total;
        if (now - t.checked[best] > peers[best].failTimeoutMs()) {
            t.checked[best] = now;
        }
        return best;
    }

    /** {@code ngx_http_upstream_free_round_robin_peer}: the attempt on the picked peer is over. */
    void free(Selection s, boolean failed) {
        if (single) {
            s.tries = 0;
            return;
        }
        if (s.index < 0) {
            return;
        }
        Tier t = tiers[s.tier];
        int i = s.index;
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
        s.index = -1;
        if (s.tries > 0) {
            s.tries--;
        }
    }
}
