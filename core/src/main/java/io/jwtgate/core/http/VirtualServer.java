package io.jwtgate.core.http;

import io.jwtgate.core.http.route.LocationMatch;
import io.jwtgate.core.http.route.LocationTree;

/** A {@code server} block at request time: its configuration and its compiled locations. */
public final class VirtualServer {

    private final ServerConf conf;
    private final LocationTree<LocationConf> locations;

    public VirtualServer(ServerConf conf, LocationTree<LocationConf> locations) {
        this.conf = conf;
        this.locations = locations;
    }

    public ServerConf conf() {
        return conf;
    }

    /** The location for a normalised URI. */
    public LocationMatch<LocationConf> match(String uri) {
        return locations.match(uri);
    }
}
