package io.jwtgate.core.conf;

import java.util.Locale;

/**
 * Parsers for the value syntaxes every module shares: flags, times and sizes, exactly as nginx reads them
 * ({@code ngx_parse_time}, {@code ngx_parse_size}). Each returns a negative number or {@code null} for a bad value,
 * so that the caller can phrase the error for its directive.
 */
public final class ConfValues {

    /** The time units after {@code ms}, largest first, and their lengths in milliseconds. */
    private static final String TIME_UNITS = "yMwdhms";
    private static final long[] TIME_UNIT_MILLIS = {
        365L * 24 * 3600_000, 30L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000};

    private ConfValues() {
    }

    /** {@code on} / {@code off}; {@code null} for anything else. */
    public static Boolean flag(String value) {
        if (value.equalsIgnoreCase("on")) {
            return Boolean.TRUE;
        }
        if (value.equalsIgnoreCase("off")) {
            return Boolean.FALSE;
        }
        return null;
    }

    /**
     * A time in nginx syntax ({@code 30}, {@code 30s}, {@code 500ms}, {@code 1h30m}, {@code 2d}) in milliseconds;
     * a number without unit means seconds. Returns -1 for a malformed value.
     */
    public static long millis(String value) {
        if (value.isEmpty()) {
            return -1;
        }
        long total = 0;
        long current = -1;
        int i = 0;
        int lastUnitRank = Integer.MAX_VALUE;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                current = (current < 0 ? 0 : current) * 10 + (c - '0');
                if (current > 100_000_000_000L) {
                    return -1;
                }
                i++;
                continue;
            }
            if (current < 0) {
                return -1;
            }
            long unit;
            int rank;
            if (c == 'm' && i + 1 < n && value.charAt(i + 1) == 's') {
                unit = 1;
                rank = 0;
                i += 2;
            } else {
                int k = TIME_UNITS.indexOf(c);
                if (k < 0) {
                    return -1;
                }
                unit = TIME_UNIT_MILLIS[k];
                rank = TIME_UNITS.length() - k;
                i++;
            }
            // nginx requires units in decreasing order and each at most once
            if (rank >= lastUnitRank) {
                return -1;
            }
            lastUnitRank = rank;
            total += current * unit;
            current = -1;
        }
        if (current >= 0) {
            if (lastUnitRank == 0) {
                return -1;
            }
            total += current * 1000;
        }
        return total;
    }

    /** A time in whole seconds; -1 when malformed or not a whole number of seconds. */
    public static long seconds(String value) {
        long ms = millis(value);
        return ms < 0 || ms % 1000 != 0 ? -1 : ms / 1000;
    }

    /** A size in nginx syntax ({@code 1024}, {@code 8k}, {@code 1m}, {@code 1g}) in bytes; -1 when malformed. */
    public static long bytes(String value) {
        if (value.isEmpty()) {
            return -1;
        }
        String digits = value;
        long scale = switch (Character.toLowerCase(value.charAt(value.length() - 1))) {
            case 'k' -> 1024;
            case 'm' -> 1024 * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1;
        };
        if (scale != 1) {
            digits = value.substring(0, value.length() - 1);
        }
        long n = digits(digits, 12);
        return n < 0 ? -1 : n * scale;
    }

    /** A non-negative decimal integer; -1 when malformed. */
    public static int number(String value) {
        return (int) digits(value, 9);
    }

    /**
     * nginx's {@code ngx_atoi} family: decimal digits only, at most {@code maxDigits} of them (at most 18, so the
     * value fits a {@code long}); -1 when empty, longer, or not digits.
     */
    public static long digits(String value, int maxDigits) {
        if (value.isEmpty() || value.length() > maxDigits) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Lower-cases ASCII only, as nginx compares enumerated values. */
    public static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
