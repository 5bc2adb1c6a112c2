package io.jwtgate.geo;

import io.jwtgate.core.codec.Cidr;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A longest-prefix-match table of one address family (nginx's radix tree for {@code geo}): one hash map per prefix
 * length in use, searched from the longest length down. Built once while reading the configuration, then read only.
 */
final class PrefixTable {

    /** An address's first {@code length} bits, the rest cleared, as two longs (IPv4 in the low 32 bits of lo). */
    private record Key(long hi, long lo) {
    }

    private final int bytes;
    private final Map<Integer, Map<Key, String>> byLength = new HashMap<>();
    private final TreeSet<Integer> lengths = new TreeSet<>();
    private int[] longestFirst = new int[0];

    PrefixTable(int bytes) {
        this.bytes = bytes;
    }

    /** Sets the value of a network; returns the value it replaces, or {@code null}. */
    String put(Cidr cidr, String value) {
        int length = length(cidr.mask());
        String old = byLength.computeIfAbsent(length, k -> new HashMap<>()).put(key(cidr.network(), length), value);
        index(length);
        return old;
    }

    void putIfAbsent(Cidr cidr, String value) {
        int length = length(cidr.mask());
        byLength.computeIfAbsent(length, k -> new HashMap<>()).putIfAbsent(key(cidr.network(), length), value);
        index(length);
    }

    /** Removes a network; {@code false} when it was not there. */
    boolean remove(Cidr cidr) {
        Map<Key, String> m = byLength.get(length(cidr.mask()));
        return m != null && m.remove(key(cidr.network(), length(cidr.mask()))) != null;
    }

    /** The value of the longest network that holds {@code address} ({@link #bytes} bytes); never {@code null}. */
    String find(byte[] address) {
        for (int length : longestFirst) {
            String v = byLength.get(length).get(key(address, length));
            if (v != null) {
                return v;
            }
        }
        return "";
    }

    private void index(int length) {
        if (lengths.add(length)) {
            longestFirst = lengths.descendingSet().stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static int length(byte[] mask) {
        int n = 0;
        for (byte b : mask) {
            n += Integer.bitCount(b & 0xff);
        }
        return n;
    }

    private Key key(byte[] address, int length) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < bytes; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            long b = address[i] & (0xff00 >> keep) & 0xff;
            if (bytes == 16 && i < 8) {
                hi = (hi << 8) | b;
            } else {
                lo = (lo << 8) | b;
            }
        }
        return new Key(hi, lo);
    }
}
