package io.jwtgate.limits;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;

/**
 * The {@code zone=name:size} parameter of {@code limit_req_zone} and {@code limit_conn_zone}, read as nginx reads
 * it: the name up to the first {@code :}, the size as {@code ngx_parse_size} reads it (bytes, or {@code k} or
 * {@code m} in either case; no {@code g}), at least eight pages of 4096 bytes.
 *
 * @param name the zone's name, possibly empty (nginx then says the directive must have a zone)
 * @param size the zone's size in bytes
 */
public record ZoneParameter(String name, long size) {

    /** nginx's page size on the platforms it is run on, the unit of its slab allocator. */
    public static final int PAGE_SIZE = 4096;

    /** The smallest zone nginx accepts: eight pages. */
    public static final long MIN_SIZE = 8L * PAGE_SIZE;

    private static final String PREFIX = "zone=";

    /** Whether {@code arg} is a {@code zone=} parameter. */
    public static boolean is(String arg) {
        return arg.startsWith(PREFIX);
    }

    /**
     * Reads {@code arg} ({@code zone=name:size}) of {@code d}, with nginx's errors: {@code invalid zone size "ARG"}
     * (no {@code :}, or a size nginx cannot read) and {@code zone "ARG" is too small}.
     */
    public static ZoneParameter parse(ConfDirective d, String arg) throws ConfException {
        int colon = arg.indexOf(':', PREFIX.length());
        long size = colon < 0 ? -1 : parseSize(arg.substring(colon + 1));
        if (size < 0) {
            throw d.error("invalid zone size \"%s\"", arg);
        }
        if (size < MIN_SIZE) {
            throw d.error("zone \"%s\" is too small", arg);
        }
        return new ZoneParameter(arg.substring(PREFIX.length(), colon), size);
    }

    /** The name of a {@code zone=name} reference ({@code limit_req zone=name}), without the prefix. */
    public static String referenceName(String arg) {
        return arg.substring(PREFIX.length());
    }

    /** {@code ngx_parse_size}: digits with an optional {@code k}/{@code K} or {@code m}/{@code M}; -1 otherwise. */
    static long parseSize(String value) {
        if (value.isEmpty()) {
            return -1;
        }
        char unit = value.charAt(value.length() - 1);
        long scale = unit == 'k' || unit == 'K' ? 1024 : unit == 'm' || unit == 'M' ? 1024 * 1024 : 1;
        String digits = scale == 1 ? value : value.substring(0, value.length() - 1);
        if (digits.isEmpty()) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            // nginx's ngx_atosz refuses what does not fit a ssize_t, and the scaled size must fit it too
            if (n > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n > Long.MAX_VALUE / scale ? -1 : n * scale;
    }
}
