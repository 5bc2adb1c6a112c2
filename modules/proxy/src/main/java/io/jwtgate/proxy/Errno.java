package io.jwtgate.proxy;

import java.util.Locale;

/** Renders a socket error the way nginx logs it, {@code 111: Connection refused}, from Java's exception text. */
final class Errno {

    private static final String[][] KNOWN = {
        {"connection refused", "111: Connection refused"},
        {"connection reset", "104: Connection reset by peer"},
        {"broken pipe", "32: Broken pipe"},
        {"network is unreachable", "101: Network is unreachable"},
        {"no route to host", "113: No route to host"},
        {"timed out", "110: Connection timed out"},
    };

    private Errno() {
    }

    static String describe(Throwable cause) {
        String m = cause == null || cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        for (String[] k : KNOWN) {
            if (m.contains(k[0])) {
                return k[1];
            }
        }
        return cause == null ? "unknown error" : String.valueOf(cause.getMessage());
    }
}
