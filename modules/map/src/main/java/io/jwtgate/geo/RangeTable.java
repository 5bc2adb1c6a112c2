package io.jwtgate.geo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The IPv4 ranges of a {@code geo} block with {@code ranges}, kept as nginx keeps them: per 64K block of addresses
 * (the high 16 bits), a sorted list of ranges of the low 16 bits. A range added inside another splits it, one that
 * starts or ends with it trims it, an equal one replaces its value with a warning, and any other overlap is an error
 * ({@code ngx_http_geo_add_range}).
 */
final class RangeTable {

    private static final class Range {
        int start;
        int end;
        String value;

        Range(int start, int end, String value) {
            this.start = start;
            this.end = end;
            this.value = value;
        }
    }

    private final Map<Integer, List<Range>> blocks = new HashMap<>();
    private String defaultValue;

    /** Sets the default; returns the one it replaces, or {@code null}. */
    String setDefault(String value) {
        String old = defaultValue;
        defaultValue = value;
        return old;
    }

    /**
     * Adds {@code start..end} (unsigned 32-bit addresses) with {@code value}; {@code duplicate} hears the old value
     * of an equal range it replaces.
     *
     * @return {@code null}, or the range text it overlaps, which nginx refuses
     */
    String add(long start, long end, String value, Consumer<String> duplicate) {
        for (long n = start; n <= end; n = (n + 0x10000) & 0xffff0000L) {
            int h = (int) (n >>> 16);
            int s = n == start ? (int) (n & 0xffff) : 0;
            int e = (n | 0xffff) > end ? (int) (end & 0xffff) : 0xffff;
            String overlapped = addInBlock(blocks.computeIfAbsent(h, k -> new ArrayList<>()), h, s, e, value,
                    duplicate);
            if (overlapped != null) {
                return overlapped;
            }
            if (h == 0xffff) {
                break;
            }
        }
        return null;
    }

    private static String addInBlock(List<Range> a, int h, int s, int e, String value, Consumer<String> duplicate) {
        for (int i = a.size() - 1; i >= 0; i--) {
            Range r = a.get(i);
            if (e < r.start) {
                continue;
            }
            if (s > r.end) {
                a.add(i + 1, new Range(s, e, value));
            } else if (s == r.start && e == r.end) {
                duplicate.accept(r.value);
                r.value = value;
            } else if (s > r.start && e < r.end) {
                a.add(i + 1, new Range(e + 1, r.end, r.value));
                a.add(i + 1, new Range(s, e, value));
                r.end = s - 1;
            } else if (s == r.start && e < r.end) {
                a.add(i, new Range(s, e, value));
                r.start = e + 1;
            } else if (s > r.start && e == r.end) {
                a.add(i + 1, new Range(s, e, value));
                r.end = s - 1;
            } else {
                String block = (h >> 8) + "." + (h & 0xff) + ".";
                return block + (r.start >> 8) + "." + (r.start & 0xff) + "-" + block + (r.end >> 8) + "."
                        + (r.end & 0xff);
            }
            return null;
        }
        a.add(0, new Range(s, e, value));
        return null;
    }

    /**
     * Deletes the ranges exactly equal to {@code start..end}'s pieces in each 64K block.
     *
     * @return whether some piece was not there (nginx then warns)
     */
    boolean delete(long start, long end) {
        boolean warn = false;
        for (long n = start; n <= end; n = (n + 0x10000) & 0xffff0000L) {
            int h = (int) (n >>> 16);
            int s = n == start ? (int) (n & 0xffff) : 0;
            int e = (n | 0xffff) > end ? (int) (end & 0xffff) : 0xffff;
            List<Range> a = blocks.get(h);
            if (a == null || a.isEmpty() || !a.removeIf(r -> r.start == s && r.end == e)) {
                warn = true;
            }
            if (h == 0xffff) {
                break;
            }
        }
        return warn;
    }

    /** The value for an unsigned 32-bit address: its range's, else the default, else empty. */
    String find(long address) {
        List<Range> a = blocks.get((int) (address >>> 16));
        if (a != null) {
            int n = (int) (address & 0xffff);
            for (Range r : a) {
                if (n >= r.start && n <= r.end) {
                    return r.value;
                }
            }
        }
        return defaultValue == null ? "" : defaultValue;
    }
}
