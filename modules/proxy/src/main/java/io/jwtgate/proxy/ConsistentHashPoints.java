package io.jwtgate.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The ring of {@code hash ... consistent} (nginx's {@code ngx_http_upstream_init_chash}, compatible with
 * Cache::Memcached::Fast): 160 points per unit of weight for each peer, the first at
 * {@code crc32(HOST "\0" PORT PREV)} with {@code PREV} the previous point's hash as four little-endian bytes (zero
 * for the first), sorted, duplicates dropped. {@code HOST} and {@code PORT} come from the {@code server} directive's
 * address as written, so the same key reaches the same server as with nginx for the same server list. Immutable.
 */
final class ConsistentHashPoints {

    private static final int POINTS_PER_WEIGHT = 160;

    /** Sorted unsigned point hashes (as non-negative longs) and the server each belongs to. */
    private final long[] hashes;
    private final String[] servers;

    ConsistentHashPoints(Peer[] peers) {
        int total = 0;
        for (Peer p : peers) {
            total += p.weight() * POINTS_PER_WEIGHT;
        }
        long[][] points = new long[total][];
        int n = 0;
        for (int s = 0; s < peers.length; s++) {
            byte[] base = base(peers[s].server());
            byte[] input = Arrays.copyOf(base, base.length + 4);
            long prev = 0;
            for (int j = 0; j < peers[s].weight() * POINTS_PER_WEIGHT; j++) {
                for (int b = 0; b < 4; b++) {
                    input[base.length + b] = (byte) (prev >>> (8 * b));
                }
                prev = crc32(input);
                points[n++] = new long[] {prev, s};
            }
        }
        Arrays.sort(points, (a, b) -> Long.compare(a[0], b[0]));
        long[] h = new long[total];
        String[] srv = new String[total];
        int kept = 0;
        for (long[] p : points) {
            if (kept == 0 || h[kept - 1] != p[0]) {
                h[kept] = p[0];
                srv[kept] = peers[(int) p[1]].server();
                kept++;
            }
        }
        this.hashes = Arrays.copyOf(h, kept);
        this.servers = Arrays.copyOf(srv, kept);
    }

    /** {@code HOST "\0" PORT}: the port is the trailing digits after the last colon, if any. */
    private static byte[] base(String server) {
        String host = server;
        String port = "";
        int j = server.length();
        while (j > 0 && Character.isDigit(server.charAt(j - 1))) {
            j--;
        }
        if (j > 0 && server.charAt(j - 1) == ':') {
            host = server.substring(0, j - 1);
            port = server.substring(j);
        }
        return (host + "\0" + port).getBytes(StandardCharsets.ISO_8859_1);
    }

    static long crc32(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
    }

    /** The index of the first point at or after {@code hash} (may be the number of points: read it modulo). */
    long find(long hash) {
        int i = Arrays.binarySearch(hashes, hash);
        return i >= 0 ? i : -i - 1;
    }

    /** The server of point {@code index} modulo the number of points. */
    String server(long index) {
        return servers[(int) (index % hashes.length)];
    }
}
