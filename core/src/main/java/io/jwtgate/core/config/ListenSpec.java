package io.jwtgate.core.config;

import io.jwtgate.core.conf.ConfDirective;
import java.net.InetSocketAddress;

/**
 * A parsed {@code listen} directive.
 *
 * @param address the address and port; a wildcard address for {@code *:port} and {@code port}
 * @param defaultServer {@code default_server}
 * @param ssl {@code ssl}
 * @param reuseport {@code reuseport}
 * @param proxyProtocol {@code proxy_protocol}
 * @param where the directive, for error messages
 */
record ListenSpec(InetSocketAddress address, boolean defaultServer, boolean ssl, boolean reuseport,
        boolean proxyProtocol, ConfDirective where) {
}
