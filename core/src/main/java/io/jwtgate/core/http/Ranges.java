package io.jwtgate.core.http;

import io.jwtgate.core.codec.HttpTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code Range: bytes=...} header read as nginx's range filter reads it ({@code ngx_http_range_parse}): ranges
 * of the file in the order asked, clipped to its size; an empty range that starts past the end is skipped, and one
 * that starts at 0 (of an empty file) makes the whole answer a plain 200. More than {@code maxRanges}, or several
 * that together ask for more than the file, also give the whole file, so that a request cannot make the answer
 * bigger than the file.
 */
public final class Ranges {

    /** The outcome of reading the header. */
    public enum Outcome { PARTIAL, NOT_SATISFIABLE, WHOLE }

    /** One range: bytes {@code start} to {@code end} (exclusive). */
    public record Range(long start, long end) {
        public long length() {
            return end - start;
        }
    }

    private final Outcome outcome;
    private final List<Range> ranges;

    private Ranges(Outcome outcome, List<Range> ranges) {
        this.outcome = outcome;
        this.ranges = ranges;
    }

    public Outcome outcome() {
        return outcome;
    }

    public List<Range> ranges() {
        return ranges;
    }

    private static final Ranges WHOLE = new Ranges(Outcome.WHOLE, List.of());
    private static final Ranges NOT_SATISFIABLE = new Ranges(Outcome.NOT_SATISFIABLE, List.of());
    private static final long CUTOFF = Long.MAX_VALUE / 10;
    private static final long CUTLIM = Long.MAX_VALUE % 10;

    /** The answer without ranges: the whole file. */
    public static Ranges whole() {
        return WHOLE;
    }

    /**
     * The range filter's reading of the client's {@code Range} for a response of {@code size} bytes with
     * {@code etag} (or {@code null}) and {@code lastModified} (-1 for none), at most {@code maxRanges} of them (1 for
     * a body that is sliced as it streams, nginx's {@code single_range}); {@code null} where the filter does not
     * take part (a subrequest, {@code max_ranges 0}): then not even {@code Accept-Ranges} is sent. No {@code Range},
     * one not in bytes, or an {@code If-Range} that does not hold give the whole response.
     */
    public static Ranges read(HttpExchange x, long size, String etag, long lastModified, int maxRanges) {
        if (x.isSubrequest() || maxRanges == 0) {
            return null;
        }
        String range = x.header("Range");
        if (range == null || range.length() < 7 || !range.regionMatches(true, 0, "bytes=", 0, 6)
                || !ifRangeHolds(x.header("If-Range"), etag, lastModified)) {
            return WHOLE;
        }
        return parse(range.substring(6), size, maxRanges);
    }

    /** {@code If-Range}: an entity tag must be the response's exactly, a date its modification time exactly. */
    private static boolean ifRangeHolds(String ifRange, String etag, long lastModified) {
        if (ifRange == null) {
            return true;
        }
        if (ifRange.length() >= 2 && ifRange.endsWith("\"")) {
            return etag != null && ifRange.equals(etag);
        }
        return lastModified != -1 && HttpTime.parse(ifRange) == lastModified;
    }

    /** Reads {@code spec}, the header after {@code bytes=}, for a file of {@code size} bytes. */
    static Ranges parse(String spec, long size, int maxRanges) {
        List<Range> out = new ArrayList<>();
        long total = 0;
        int allowed = maxRanges;
        int p = 0;
        int n = spec.length();
        for (;;) {
            long start = 0;
            long end = 0;
            boolean suffix = false;
            p = skipSpaces(spec, p);
            boolean openEnded = false;
            if (at(spec, p) != '-') {
                if (!digit(at(spec, p))) {
                    return NOT_SATISFIABLE;
                }
                while (digit(at(spec, p))) {
                    int d = at(spec, p++) - '0';
                    if (start >= CUTOFF && (start > CUTOFF || d > CUTLIM)) {
                        return NOT_SATISFIABLE;
                    }
                    start = start * 10 + d;
                }
                p = skipSpaces(spec, p);
                if (at(spec, p++) != '-') {
                    return NOT_SATISFIABLE;
                }
                p = skipSpaces(spec, p);
                if (at(spec, p) == ',' || p >= n) {
                    end = size;
                    openEnded = true;
                }
            } else {
                suffix = true;
                p++;
            }
            if (!openEnded) {
                if (!digit(at(spec, p))) {
                    return NOT_SATISFIABLE;
                }
                while (digit(at(spec, p))) {
                    int d = at(spec, p++) - '0';
                    if (end >= CUTOFF && (end > CUTOFF || d > CUTLIM)) {
                        return NOT_SATISFIABLE;
                    }
                    end = end * 10 + d;
                }
                p = skipSpaces(spec, p);
                if (at(spec, p) != ',' && p < n) {
                    return NOT_SATISFIABLE;
                }
                if (suffix) {
                    start = end < size ? size - end : 0;
                    end = size - 1;
                }
                end = end >= size ? size : end + 1;
            }
            if (start < end) {
                out.add(new Range(start, end));
                if (total > Long.MAX_VALUE - (end - start)) {
                    return NOT_SATISFIABLE;
                }
                total += end - start;
                if (allowed-- == 0) {
                    return WHOLE;
                }
            } else if (start == 0) {
                return WHOLE;
            }
            if (at(spec, p++) != ',') {
                break;
            }
        }
        if (out.isEmpty()) {
            return NOT_SATISFIABLE;
        }
        if (out.size() > 1 && (total > size
                // unlimited max_ranges: the parts' headers (up to 256 bytes each) must not outgrow the file either
                || maxRanges == Integer.MAX_VALUE && total + out.size() * 256L > size + 4096)) {
            return WHOLE;
        }
        return new Ranges(Outcome.PARTIAL, List.copyOf(out));
    }

    /** The character at {@code i}, or {@code '\0'} past the end, as nginx reads its terminated header value. */
    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int skipSpaces(String s, int p) {
        while (at(s, p) == ' ') {
            p++;
        }
        return p;
    }
}
