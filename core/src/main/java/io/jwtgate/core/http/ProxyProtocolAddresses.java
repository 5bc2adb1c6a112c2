package io.jwtgate.core.http;

/**
 * The source and destination a PROXY protocol header (v1 or v2) gave for a connection, as text the way nginx's
 * {@code $proxy_protocol_addr}, {@code $proxy_protocol_port}, {@code $proxy_protocol_server_addr} and
 * {@code $proxy_protocol_server_port} show them (docs/realip.md#proxy-protocol).
 *
 * @param sourceAddress the client's address
 * @param sourcePort the client's port, or 0 when the header had none
 * @param destinationAddress the address the client connected to
 * @param destinationPort the port the client connected to, or 0 when the header had none
 */
public record ProxyProtocolAddresses(String sourceAddress, int sourcePort, String destinationAddress,
        int destinationPort) {
}
