package io.jwtgate.core.http;

/**
 * What a client request and its connection came to on the wire, for nginx's variables over them
 * ({@code $request_length}, {@code $bytes_sent}, {@code $connection}, {@code $connection_requests},
 * {@code $connection_time}, {@code $sent_http_*}, {@code $tcpinfo_*}). A subrequest sees its main request's.
 */
public interface WireFacts {

    /** The request line, headers and body as received so far, line ends and chunk framing included. */
    long requestLength();

    /** Bytes sent to the client for this request so far, the response head (and any {@code 100 Continue}) included. */
    long bytesSent();

    /** The connection's serial number, counted from 1 since start-up. */
    long connectionNumber();

    /** The requests this connection has started, this one included. */
    int connectionRequests();

    /** When the connection was accepted, from {@link System#nanoTime()}. */
    long connectedAtNanos();

    /**
     * A header of the response head as sent ({@code $sent_http_NAME}, {@code -} and {@code _} alike); {@code null}
     * before the head is sent, for a header it does not have, and for {@code Server} and {@code Date}, which nginx
     * adds only while writing the head.
     */
    String sentHeader(String name);

    /**
     * A field of the kernel's {@code TCP_INFO} for the connection: {@code rtt}, {@code rttvar} (microseconds),
     * {@code snd_cwnd}, {@code rcv_space}; {@code null} where the transport cannot read it (NIO, a unix socket).
     */
    String tcpInfo(String field);
}
