package io.jwtgate.core.http;

/**
 * The source and destination a PROXY protocol header (v1 or v2) gave for a connection, as text the way nginx's
 * {@code $proxy_protocol_addr}, {@code $proxy_protocol_port}, {@code $proxy_protocol_server_addr} and
 * {@code $proxy_protocol_server_port} show them (docs/realip.md#proxy-protocol).
 *
 * @param sourceAddress the client's address: from a v1 header the text as sent, which nginx only checks for hex
 *     digits, {@code :} and {@code .} (it may be empty or no valid address); from a v2 header formatted as nginx
 *     formats an IPv4 or IPv6 address
 * @param sourcePort the client's port, 0 to 65535 ({@code $proxy_protocol_port} shows 0 as empty)
 * @param destinationAddress the address the client connected to, as {@code sourceAddress}
 * @param destinationPort the port the client connected to, as {@code sourcePort}
 */
public record ProxyProtocolAddresses(String sourceAddress, int sourcePort, String destinationAddress,
        int destinationPort) {
}
