package io.jwtgate.core.http;

import java.util.List;

/**
 * The core's own per-location settings, merged.
 *
 * @param clientMaxBodySize {@code client_max_body_size} in bytes, 0 = unlimited (default 1m)
 * @param clientHeaderTimeoutMs {@code client_header_timeout} (default 60s)
 * @param clientBodyTimeoutMs {@code client_body_timeout} (default 60s)
 * @param keepaliveTimeoutMs {@code keepalive_timeout} (default 75s), 0 disables keep-alive
 * @param keepaliveHeaderSeconds the second {@code keepalive_timeout} value, sent as {@code Keep-Alive: timeout=N};
 *     -1 when not set
 * @param keepaliveRequests {@code keepalive_requests} (default 1000): the request that reaches it closes the connection
 * @param keepaliveTimeMs {@code keepalive_time} (default 1h): a request that starts later on a connection closes it
 * @param satisfyAny {@code satisfy any} (default {@code all})
 * @param ignoreInvalidHeaders {@code ignore_invalid_headers} (default on): request headers with a name of other than
 *     letters, digits and {@code -} are dropped; read from the address's default server
 * @param underscoresInHeaders {@code underscores_in_headers} (default off): whether {@code _} counts as valid in a
 *     header name; read from the address's default server
 * @param errorPages the {@code error_page}s in order, the first of a status wins; a level with its own replaces the
 *     inherited ones, as nginx merges them
 * @param recursiveErrorPages {@code recursive_error_pages} (default off)
 * @param absoluteRedirect {@code absolute_redirect} (default on): a redirect to a path gets scheme, host and port
 * @param portInRedirect {@code port_in_redirect} (default on): that port, unless the scheme's default
 * @param serverNameInRedirect {@code server_name_in_redirect} (default off): the server's first name as the host,
 *     rather than the request's {@code Host}
 * @param serverTokens {@code server_tokens} (default on): the version in the {@code Server} header and the error
 *     pages' signature ({@code build} is {@code on}: jwtgate has no build name)
 * @param largeHeaderBuffers {@code large_client_header_buffers}' number (default 4): with the size, the most all
 *     request headers together may take; read from the address's default server
 * @param largeHeaderBufferSize {@code large_client_header_buffers}' size (default 8k): the longest request line (414
 *     beyond) and header line (400, nginx's 494 page, beyond)
 * @param keepaliveDisable {@code keepalive_disable} (default {@code msie6}): the browsers whose requests close their
 *     connection, {@link #KEEPALIVE_DISABLE_MSIE6} (POST only, as nginx) and {@link #KEEPALIVE_DISABLE_SAFARI}
 * @param sendTimeoutMs {@code send_timeout} (default 60s): how long the client may take nothing of a response
 * @param resetTimedoutConnection {@code reset_timedout_connection} (default off): a connection closed because its
 *     client was too slow to send a request head or body is reset (RST) rather than closed
 * @param wire how a response goes out and how its connection ends ({@code lingering_*}, {@code limit_rate*},
 *     {@code auth_delay})
 * @param ifModifiedSince {@code if_modified_since} (default {@code exact}), for {@link NotModified}
 * @param maxRanges {@code max_ranges} (default unlimited), for {@link Ranges}
 */
public record CoreLocConf(long clientMaxBodySize, long clientHeaderTimeoutMs, long clientBodyTimeoutMs,
        long keepaliveTimeoutMs, long keepaliveHeaderSeconds, int keepaliveRequests, long keepaliveTimeMs,
        boolean satisfyAny, boolean ignoreInvalidHeaders, boolean underscoresInHeaders, List<ErrorPage> errorPages,
        boolean recursiveErrorPages, boolean absoluteRedirect, boolean portInRedirect,
        boolean serverNameInRedirect, boolean serverTokens, int largeHeaderBuffers, int largeHeaderBufferSize,
        int keepaliveDisable, long sendTimeoutMs, boolean resetTimedoutConnection, WireConf wire,
        NotModified.IfModifiedSince ifModifiedSince, int maxRanges) {

    public static final int KEEPALIVE_DISABLE_MSIE6 = 1;
    public static final int KEEPALIVE_DISABLE_SAFARI = 2;

    public static final CoreLocConf DEFAULT = new CoreLocConf(1024 * 1024, 60_000, 60_000, 75_000, -1, 1000,
            3_600_000, false, true, false, List.of(), false, true, true, false, true, 4, 8192, KEEPALIVE_DISABLE_MSIE6,
            60_000, false, WireConf.DEFAULT, NotModified.IfModifiedSince.EXACT, Integer.MAX_VALUE);

    public CoreLocConf {
        errorPages = List.copyOf(errorPages);
    }

    /** The {@code error_page} for {@code status}, or {@code null}. */
    public ErrorPage errorPage(int status) {
        for (ErrorPage p : errorPages) {
            if (p.status() == status) {
                return p;
            }
        }
        return null;
    }

    /** Mutable draft: {@code null} means unset at this level. */
    public static final class Draft {
        public Long clientMaxBodySize;
        public Long clientHeaderTimeoutMs;
        public Long clientBodyTimeoutMs;
        public Long keepaliveTimeoutMs;
        public Long keepaliveHeaderSeconds;
        public Integer keepaliveRequests;
        public Long keepaliveTimeMs;
        public Boolean satisfyAny;
        public Boolean ignoreInvalidHeaders;
        public Boolean underscoresInHeaders;
        /** Every {@code error_page} of this level, in order; {@code null} when it has none. */
        public List<ErrorPage> errorPages;
        public Boolean recursiveErrorPages;
        public Boolean absoluteRedirect;
        public Boolean portInRedirect;
        public Boolean serverNameInRedirect;
        public Boolean serverTokens;
        public Integer largeHeaderBuffers;
        public Integer largeHeaderBufferSize;
        /** The bits of this level's {@code keepalive_disable} lines ({@code none} alone: 0), or {@code null}. */
        public Integer keepaliveDisable;
        public Long sendTimeoutMs;
        public Boolean resetTimedoutConnection;
        public final WireConf.Draft wire = new WireConf.Draft();
        public NotModified.IfModifiedSince ifModifiedSince;
        public Integer maxRanges;
    }

    public static CoreLocConf merge(CoreLocConf parent, Draft d) {
        CoreLocConf p = parent == null ? DEFAULT : parent;
        return new CoreLocConf(
                d.clientMaxBodySize != null ? d.clientMaxBodySize : p.clientMaxBodySize,
                d.clientHeaderTimeoutMs != null ? d.clientHeaderTimeoutMs : p.clientHeaderTimeoutMs,
                d.clientBodyTimeoutMs != null ? d.clientBodyTimeoutMs : p.clientBodyTimeoutMs,
                d.keepaliveTimeoutMs != null ? d.keepaliveTimeoutMs : p.keepaliveTimeoutMs,
                d.keepaliveTimeoutMs != null ? (d.keepaliveHeaderSeconds != null ? d.keepaliveHeaderSeconds : -1)
                        : p.keepaliveHeaderSeconds,
                d.keepaliveRequests != null ? d.keepaliveRequests : p.keepaliveRequests,
                d.keepaliveTimeMs != null ? d.keepaliveTimeMs : p.keepaliveTimeMs,
                d.satisfyAny != null ? d.satisfyAny : p.satisfyAny,
                d.ignoreInvalidHeaders != null ? d.ignoreInvalidHeaders : p.ignoreInvalidHeaders,
                d.underscoresInHeaders != null ? d.underscoresInHeaders : p.underscoresInHeaders,
                d.errorPages != null ? d.errorPages : p.errorPages,
                d.recursiveErrorPages != null ? d.recursiveErrorPages : p.recursiveErrorPages,
                d.absoluteRedirect != null ? d.absoluteRedirect : p.absoluteRedirect,
                d.portInRedirect != null ? d.portInRedirect : p.portInRedirect,
                d.serverNameInRedirect != null ? d.serverNameInRedirect : p.serverNameInRedirect,
                d.serverTokens != null ? d.serverTokens : p.serverTokens,
                d.largeHeaderBuffers != null ? d.largeHeaderBuffers : p.largeHeaderBuffers,
                d.largeHeaderBufferSize != null ? d.largeHeaderBufferSize : p.largeHeaderBufferSize,
                d.keepaliveDisable != null ? d.keepaliveDisable : p.keepaliveDisable,
                d.sendTimeoutMs != null ? d.sendTimeoutMs : p.sendTimeoutMs,
                d.resetTimedoutConnection != null ? d.resetTimedoutConnection : p.resetTimedoutConnection,
                WireConf.merge(p.wire, d.wire),
                d.ifModifiedSince != null ? d.ifModifiedSince : p.ifModifiedSince,
                d.maxRanges != null ? d.maxRanges : p.maxRanges);
    }

    /** All request headers together, at most ({@code large_client_header_buffers}' number times its size). */
    public int maxHeaderSize() {
        return (int) Math.min(Integer.MAX_VALUE, (long) largeHeaderBuffers * largeHeaderBufferSize);
    }
}
