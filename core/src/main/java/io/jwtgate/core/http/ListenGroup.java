package io.jwtgate.core.http;

import io.jwtgate.core.tls.ServerTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One listening socket and the virtual servers reachable through it. As in nginx, when a port has a wildcard
 * {@code listen}, only the wildcard is bound and the servers of more specific addresses on that port are chosen by
 * the connection's local address.
 *
 * @param bind the address to bind
 * @param tls TLS for the socket, or {@code null} for plain HTTP
 * @param options the socket's options
 * @param wildcard the servers for connections that match no specific address (or the only ones)
 * @param byAddress servers of specific addresses on a wildcard-bound port
 */
public record ListenGroup(InetSocketAddress bind, ServerTls tls, SocketOptions options, AddressServers wildcard,
        Map<InetAddress, AddressServers> byAddress) {

    public boolean ssl() {
        return tls != null;
    }

    /** The servers for a connection accepted on {@code local}. */
    public AddressServers serversFor(InetSocketAddress local) {
        if (byAddress.isEmpty()) {
            return wildcard;
        }
        AddressServers s = byAddress.get(local.getAddress());
        return s != null ? s : wildcard;
    }
}
