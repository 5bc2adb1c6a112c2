package io.jwtgate.core.http;

import io.jwtgate.core.http.route.ServerNames;

/** The virtual servers reachable on one address:port, chosen by host name. */
public final class AddressServers {

    private final ServerNames<VirtualServer> names;

    public AddressServers(ServerNames<VirtualServer> names) {
        this.names = names;
    }

    /** The server for a normalised host, or for a request without host ({@code null}). */
    public ServerNames.Selection<VirtualServer> select(String host) {
        return names.select(host == null ? "" : host);
    }

    public VirtualServer defaultServer() {
        return names.defaultServer();
    }
}
