package io.jwtgate.core.server;

import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.core.tls.ClientTls;
import io.netty.channel.Channel;

/**
 * What a client connection's requests read of it: its serial number ({@code $connection}), when it was accepted,
 * whether it speaks TLS and its TLS once the handshake is done, and the addresses of its PROXY protocol header. Used
 * on the connection's event loop only.
 */
final class ConnectionFacts {

    private final long number;
    private final boolean ssl;
    private Channel channel;
    private long connectedAt;
    private ClientTls tls;
    private ProxyProtocolAddresses proxyProtocol;

    ConnectionFacts(long number, boolean ssl) {
        this.number = number;
        this.ssl = ssl;
    }

    /** The connection became active on {@code ch}. */
    void active(Channel ch) {
        channel = ch;
        connectedAt = System.nanoTime();
    }

    /** The connection's serial number ({@code $connection}). */
    long number() {
        return number;
    }

    boolean ssl() {
        return ssl;
    }

    /** When the connection was accepted, from {@link System#nanoTime()}. */
    long connectedAt() {
        return connectedAt;
    }

    /** The connection's TLS once its handshake is done, read once; {@code null} on a plain connection. */
    ClientTls tls() {
        if (tls == null && ssl) {
            tls = ClientTls.of(channel);
        }
        return tls;
    }

    /** The PROXY protocol header's addresses, when the listener reads one; {@code null} otherwise. */
    ProxyProtocolAddresses proxyProtocol() {
        return proxyProtocol;
    }

    void proxyProtocol(ProxyProtocolAddresses addresses) {
        proxyProtocol = addresses;
    }
}
