package io.jwtgate.core.server;

import io.jwtgate.core.http.VirtualServer;
import java.net.InetSocketAddress;

/**
 * Where a {@link DetachedRequest} made for a location runs: the location's server, and the address and scheme of the
 * server's first {@code listen}, which {@code $server_addr}, {@code $server_port} and {@code $scheme} show (the
 * default {@code proxy_cache_key} starts with {@code $scheme}).
 *
 * @param server the server whose locations the request goes through
 * @param local the first {@code listen} address as configured (port 0 stays 0)
 * @param ssl whether that {@code listen} has {@code ssl}
 */
public record DetachedRoute(VirtualServer server, InetSocketAddress local, boolean ssl) {
}
