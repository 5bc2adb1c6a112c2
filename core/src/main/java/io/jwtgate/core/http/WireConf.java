package io.jwtgate.core.http;

/**
 * The core's per-location settings of how a request's path is read, how a response goes out and how its connection
 * ends, merged
 * (docs/configuration.md#lingering_close-lingering_time-lingering_timeout, #limit_rate-limit_rate_after,
 * #auth_delay).
 *
 * @param lingeringClose {@code lingering_close} (default {@code on}): {@link #LINGERING_OFF},
 *     {@link #LINGERING_ON} (when the client may still be sending: a body not read to its end, bytes after it) or
 *     {@link #LINGERING_ALWAYS}
 * @param lingeringTimeMs {@code lingering_time} (default 30s): the longest a closing connection reads and discards
 *     what the client sends, its body's rest included
 * @param lingeringTimeoutMs {@code lingering_timeout} (default 5s): the longest it waits for each more byte
 * @param limitRate {@code limit_rate} in bytes per second, 0 = unlimited (default)
 * @param limitRateAfter {@code limit_rate_after} (default 0): the bytes sent at full speed before the limit applies
 * @param authDelayMs {@code auth_delay} (default 0): how long a 401 of the access phase waits before it is sent
 * @param chunkedTransferEncoding {@code chunked_transfer_encoding} (default on): an HTTP/1.1 response of unknown
 *     length is chunked; off, it is ended by closing the connection
 * @param mergeSlashes {@code merge_slashes} (default on): runs of slashes in the request's path become one; read from
 *     the address's default server, as the path is parsed before the host is known
 * @param msiePadding {@code msie_padding} (default on): the server's own error pages get nginx's padding for MSIE and
 *     Chrome, whose "friendly" pages would replace a short one
 */
public record WireConf(int lingeringClose, long lingeringTimeMs, long lingeringTimeoutMs, long limitRate,
        long limitRateAfter, long authDelayMs, boolean chunkedTransferEncoding, boolean mergeSlashes,
        boolean msiePadding) {

    public static final int LINGERING_OFF = 0;
    public static final int LINGERING_ON = 1;
    public static final int LINGERING_ALWAYS = 2;

    public static final WireConf DEFAULT = new WireConf(LINGERING_ON, 30_000, 5_000, 0, 0, 0, true, true, true);

    /** Mutable draft: {@code null} means unset at this level. */
    public static final class Draft {
        public Integer lingeringClose;
        public Long lingeringTimeMs;
        public Long lingeringTimeoutMs;
        public Long limitRate;
        public Long limitRateAfter;
        public Long authDelayMs;
        public Boolean chunkedTransferEncoding;
        public Boolean mergeSlashes;
        public Boolean msiePadding;
    }

    public static WireConf merge(WireConf parent, Draft d) {
        WireConf p = parent == null ? DEFAULT : parent;
        return new WireConf(
                d.lingeringClose != null ? d.lingeringClose : p.lingeringClose,
                d.lingeringTimeMs != null ? d.lingeringTimeMs : p.lingeringTimeMs,
                d.lingeringTimeoutMs != null ? d.lingeringTimeoutMs : p.lingeringTimeoutMs,
                d.limitRate != null ? d.limitRate : p.limitRate,
                d.limitRateAfter != null ? d.limitRateAfter : p.limitRateAfter,
                d.authDelayMs != null ? d.authDelayMs : p.authDelayMs,
                d.chunkedTransferEncoding != null ? d.chunkedTransferEncoding : p.chunkedTransferEncoding,
                d.mergeSlashes != null ? d.mergeSlashes : p.mergeSlashes,
                d.msiePadding != null ? d.msiePadding : p.msiePadding);
    }
}
