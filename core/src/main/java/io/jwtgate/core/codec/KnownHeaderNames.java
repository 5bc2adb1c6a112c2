package io.jwtgate.core.codec;

import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.Locale;

/**
 * One shared {@link AsciiString} for each header name that requests and responses commonly carry, spelled as they
 * commonly come (canonical case and all lower case). Netty's decoders copy every header name into a new
 * {@code AsciiString} (byte array included); with this table the decoders hand on a shared one when the bytes match
 * exactly, so the name costs no allocation and its hash code is already computed. A name spelled any other way is
 * copied as before: the spelling is the sender's and is passed on unchanged.
 */
public final class KnownHeaderNames {

    private static final String[] NAMES = {
        // requests
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Authorization", "Connection",
        "Content-Length", "Content-Type", "Cookie", "Cache-Control", "Pragma", "Referer", "Origin", "Expect",
        "Range", "If-None-Match", "If-Modified-Since", "Keep-Alive", "Transfer-Encoding", "Upgrade", "TE",
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP", "X-Request-ID", "Via", "Forwarded",
        // responses
        "Server", "Date", "Last-Modified", "ETag", "Expires", "Vary", "Location", "Set-Cookie", "Content-Encoding",
        "Accept-Ranges", "Age", "WWW-Authenticate", "Access-Control-Allow-Origin", "Strict-Transport-Security",
        "X-Content-Type-Options", "X-Frame-Options", "X-Accel-Expires", "X-Accel-Redirect", "X-Accel-Buffering",
    };

    /** Open addressing, at most a quarter full, so a probe ends after a step or two. */
    private static final AsciiString[] TABLE = new AsciiString[512];

    static {
        for (String n : NAMES) {
            add(AsciiString.cached(n));
            add(AsciiString.cached(n.toLowerCase(Locale.ROOT)));
        }
    }

    private KnownHeaderNames() {
    }

    private static void add(AsciiString name) {
        byte[] b = name.array();
        int i = slot(b, name.arrayOffset(), name.length());
        while (TABLE[i] != null) {
            if (TABLE[i].contentEquals(name)) {
                return;
            }
            i = (i + 1) & (TABLE.length - 1);
        }
        TABLE[i] = name;
    }

    private static int slot(byte[] b, int start, int length) {
        return (length * 31 + b[start] * 7 + b[start + length - 1] * 3 + b[start + (length >> 1)]) & (TABLE.length - 1);
    }

    /**
     * The header name in {@code b[start, start + length)}: the shared instance when it is a known one spelled the
     * same, otherwise a copy.
     */
    public static AsciiString name(byte[] b, int start, int length) {
        AsciiString known = find(b, start, length);
        return known != null ? known : new AsciiString(b, start, length, true);
    }

    /** The shared name whose bytes are exactly {@code b[start, start + length)}, or {@code null} when there is none. */
    static AsciiString find(byte[] b, int start, int length) {
        if (length == 0) {
            return null;
        }
        int end = start + length;
        for (int i = slot(b, start, length);; i = (i + 1) & (TABLE.length - 1)) {
            AsciiString n = TABLE[i];
            if (n == null) {
                return null;
            }
            if (n.length() == length
                    && Arrays.equals(n.array(), n.arrayOffset(), n.arrayOffset() + length, b, start, end)) {
                return n;
            }
        }
    }
}
