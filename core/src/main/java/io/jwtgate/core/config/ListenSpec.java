package io.jwtgate.core.config;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.http.SocketOptions;
import java.net.InetSocketAddress;

/**
 * A parsed {@code listen} directive.
 *
 * @param address the address and port; a wildcard address for {@code *:port} and {@code port}
 * @param defaultServer {@code default_server}
 * @param ssl {@code ssl}
 * @param proxyProtocol {@code proxy_protocol}
 * @param options the socket options it sets ({@code reuseport}, {@code backlog=}...), or {@code null} for none
 * @param where the directive, for error messages
 */
record ListenSpec(InetSocketAddress address, boolean defaultServer, boolean ssl, boolean proxyProtocol,
        SocketOptions options, ConfDirective where) {
}
