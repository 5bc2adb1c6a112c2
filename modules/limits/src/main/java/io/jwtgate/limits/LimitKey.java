package io.jwtgate.limits;

import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.ComplexValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key of a zone ({@code limit_req_zone $binary_remote_addr ...}), compiled once and evaluated when the module's
 * handler runs, so that whatever ran before it in the request (a JWT check setting {@code $jwt_claim_sub}) is seen.
 *
 * <p>The key's length is counted in bytes as nginx stores it: the UTF-8 form of the value's text (a byte of a header
 * that is not UTF-8 is one byte, see {@code WireText}).
 */
public final class LimitKey {

    // the same logger as the core's per-request errors, so error_log settings apply alike
    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /** Lines about a key longer than nginx can store quote at most this much of it (nginx cuts its lines at 2048). */
    static final int QUOTED_MAX = 1024;

    private final ComplexValue value;
    private final int maxBytes;

    /**
     * @param value the key as compiled from the zone's declaration
     * @param maxBytes the longest key the module's entries can store (nginx: 65535 for {@code limit_req}, 255 for
     *     {@code limit_conn})
     */
    public LimitKey(ComplexValue value, int maxBytes) {
        this.value = value;
        this.maxBytes = maxBytes;
    }

    /** The key as written in the configuration ({@code $binary_remote_addr}). */
    public String text() {
        return value.raw();
    }

    /**
     * The key of {@code x}, or {@code null} when the request is not limited by this zone: the key is empty, or longer
     * than {@code maxBytes}, which is logged at {@code error} as nginx does
     * ({@code the value of the "$key" key is more than 65535 bytes: "..."}).
     */
    public String evaluate(HttpExchange x) {
        String key = value.evaluate(x);
        if (key.isEmpty()) {
            return null;
        }
        if (key.length() > maxBytes / 3 && utf8Length(key) > maxBytes) {
            if (log.isErrorEnabled()) {
                String quoted = key.length() > QUOTED_MAX ? key.substring(0, QUOTED_MAX) + "..." : key;
                log.error("the value of the \"{}\" key is more than {} bytes: \"{}\"{}", value.raw(), maxBytes, quoted,
                        ErrorContext.of(x));
            }
            return null;
        }
        return key;
    }

    /** The length of {@code key}'s UTF-8 form, the bytes nginx would store; a lone surrogate counts one byte. */
    public static int utf8Length(String key) {
        int n = key.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(key.charAt(i + 1))) {
                bytes += 2; // four bytes for two chars
                i++;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            }
            // a lone surrogate U+DC80-U+DCFF stands for one byte that was not UTF-8
        }
        return bytes;
    }
}
