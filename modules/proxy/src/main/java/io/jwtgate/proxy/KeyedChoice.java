package io.jwtgate.proxy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The balancing methods that draw a primary peer from a value ({@code ngx_http_upstream_hash_module.c},
 * {@code ngx_http_upstream_ip_hash_module.c}, {@code ngx_http_upstream_random_module.c}), with nginx's arithmetic so
 * that the same key (or client address) reaches the same server as with nginx for the same server list. A draw
 * that lands on a peer already tried, down, failed or at {@code max_conns} draws again; after 20 such draws the
 * request falls back to round robin, as nginx's. Called by {@link Balancer} under its lock.
 */
final class KeyedChoice {

    /** nginx's initial {@code ip_hash} value. */
    static final long IP_HASH_SEED = 89;
    private static final int MAX_DRAWS = 20;

    private KeyedChoice() {
    }

    /** The index of the primary peer chosen, or -1 to fall back to round robin. */
    static int pick(Balancer b, Balancer.Selection s, long now) {
        if (s.draws > MAX_DRAWS || s.tier != 0) {
            return -1;
        }
        return switch (b.method.kind) {
            case HASH -> s.key.length == 0 ? -1 : hash(b.tiers[0], s, now);
            case CONSISTENT_HASH -> s.key.length == 0 ? -1 : consistent(b, s, now);
            case IP_HASH -> ipHash(b.tiers[0], s, now);
            case RANDOM -> random(b.tiers[0], s, now);
            case RANDOM_TWO -> randomTwo(b.tiers[0], s, now);
            default -> throw new IllegalStateException(b.method.kind.name());
        };
    }

    private static boolean free(Balancer.Tier t, Balancer.Selection s, int i, long now) {
        return (s.tried & (1L << i)) == 0 && t.usable(i, now);
    }

    /** {@code hash key}: {@code ((crc32([REHASH] KEY) >> 16) & 0x7fff) + PREV}, modulo the total weight. */
    private static int hash(Balancer.Tier t, Balancer.Selection s, long now) {
        while (true) {
            byte[] rehash = s.rehash > 0 ? Integer.toString(s.rehash).getBytes(StandardCharsets.US_ASCII) : null;
            byte[] input = s.key;
            if (rehash != null) {
                input = new byte[rehash.length + s.key.length];
                System.arraycopy(rehash, 0, input, 0, rehash.length);
                System.arraycopy(s.key, 0, input, rehash.length, s.key.length);
            }
            s.hash += (ConsistentHashPoints.crc32(input) >>> 16) & 0x7fff;
            s.rehash++;
            int p = t.byWeight(s.hash % t.totalWeight);
            if (free(t, s, p, now)) {
                return p;
            }
            if (++s.draws > MAX_DRAWS) {
                return -1;
            }
        }
    }

    /** {@code hash key consistent}: the ring's server at the key's point, the next point after a miss. */
    private static int consistent(Balancer b, Balancer.Selection s, long now) {
        Balancer.Tier t = b.tiers[0];
        while (true) {
            String server = b.points.server(s.hash);
            int best = t.smooth(i -> free(t, s, i, now) && t.peers[i].server().equals(server));
            if (best >= 0) {
                return best;
            }
            s.hash++;
            if (++s.draws > MAX_DRAWS) {
                return -1;
            }
        }
    }

    /** {@code ip_hash}: {@code hash = (hash * 113 + octet) % 6271} over the address bytes, from 89. */
    private static int ipHash(Balancer.Tier t, Balancer.Selection s, long now) {
        long hash = s.hash;
        while (true) {
            for (byte octet : s.key) {
                hash = (hash * 113 + (octet & 0xff)) % 6271;
            }
            int p = t.byWeight(hash % t.totalWeight);
            if (free(t, s, p, now)) {
                s.hash = hash;
                return p;
            }
            if (++s.draws > MAX_DRAWS) {
                return -1;
            }
        }
    }

    /** {@code random}: a peer drawn with probability proportional to its weight. */
    private static int random(Balancer.Tier t, Balancer.Selection s, long now) {
        while (true) {
            int p = t.byWeight(ThreadLocalRandom.current().nextInt(t.totalWeight));
            if (free(t, s, p, now)) {
                return p;
            }
            if (++s.draws > MAX_DRAWS) {
                return -1;
            }
        }
    }

    /** {@code random two [least_conn]}: two different peers drawn, the one with fewer connections for its weight. */
    private static int randomTwo(Balancer.Tier t, Balancer.Selection s, long now) {
        int prev = -1;
        while (true) {
            int p = t.byWeight(ThreadLocalRandom.current().nextInt(t.totalWeight));
            if (p != prev && free(t, s, p, now)) {
                if (prev >= 0) {
                    boolean prevBetter = (long) t.conns[p] * t.peers[prev].weight()
                            > (long) t.conns[prev] * t.peers[p].weight();
                    return prevBetter ? prev : p;
                }
                prev = p;
            }
            if (++s.draws > MAX_DRAWS) {
                return -1;
            }
        }
    }
}
