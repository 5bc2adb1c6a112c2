package io.jwtgate.core.http;

import io.jwtgate.core.http.route.ServerNames;

/**
 * The virtual servers reachable on one address:port, chosen by host name, and what nginx keeps per address with them
 * ({@code proxy_protocol}).
 */
public final class AddressServers {

    private final ServerNames<VirtualServer> names;
    private final boolean proxyProtocol;

    /** @param proxyProtocol whether connections to the address start with a PROXY protocol header */
    public AddressServers(ServerNames<VirtualServer> names, boolean proxyProtocol) {
        this.names = names;
        this.proxyProtocol = proxyProtocol;
    }

    /** {@code listen ... proxy_protocol} on any server of this address, as nginx merges it (docs/realip.md). */
    public boolean proxyProtocol() {
        return proxyProtocol;
    }

    /** The server for a normalised host, or for a request without host ({@code null}). */
    public ServerNames.Selection<VirtualServer> select(String host) {
        return names.select(host == null ? "" : host);
    }

    public VirtualServer defaultServer() {
        return names.defaultServer();
    }
}
