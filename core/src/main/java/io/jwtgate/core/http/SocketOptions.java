package io.jwtgate.core.http;

/**
 * The socket options of one listening socket, from the {@code listen} parameters of the server that set them
 * (docs/configuration.md#listen). -1 leaves a size or count to the system.
 *
 * @param reuseport {@code reuseport}: {@code SO_REUSEPORT} (epoll)
 * @param backlog {@code backlog=}: the accept queue (default 511, as nginx's on Linux)
 * @param rcvbuf {@code rcvbuf=}: {@code SO_RCVBUF}
 * @param sndbuf {@code sndbuf=}: {@code SO_SNDBUF} of accepted connections
 * @param keepalive {@code so_keepalive=}: {@code SO_KEEPALIVE} on or off, or {@code null} to leave it
 * @param keepIdle seconds before the first probe ({@code TCP_KEEPIDLE}), or -1
 * @param keepInterval seconds between probes ({@code TCP_KEEPINTVL}), or -1
 * @param keepCount probes before the connection is dropped ({@code TCP_KEEPCNT}), or -1
 * @param deferred {@code deferred}: {@code TCP_DEFER_ACCEPT} (epoll)
 * @param fastopen {@code fastopen=}: the {@code TCP_FASTOPEN} queue (epoll), or -1
 */
public record SocketOptions(boolean reuseport, int backlog, int rcvbuf, int sndbuf, Boolean keepalive, int keepIdle,
        int keepInterval, int keepCount, boolean deferred, int fastopen) {

    /** A socket no {@code listen} gave options for. */
    public static final SocketOptions DEFAULT = new SocketOptions(false, 511, -1, -1, null, -1, -1, -1, false, -1);
}
