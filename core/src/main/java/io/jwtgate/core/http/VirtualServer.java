package io.jwtgate.core.http;

import io.jwtgate.core.http.route.LocationMatch;
import io.jwtgate.core.http.route.LocationTree;
import java.util.Map;

/** A {@code server} block at request time: its configuration, its compiled locations and its named locations. */
public final class VirtualServer {

    private final ServerConf conf;
    private final LocationTree<LocationConf> locations;
    private final Map<String, LocationConf> named;

    /** @param named the {@code location @name} blocks by name, without {@code @} */
    public VirtualServer(ServerConf conf, LocationTree<LocationConf> locations, Map<String, LocationConf> named) {
        this.conf = conf;
        this.locations = locations;
        this.named = Map.copyOf(named);
    }

    public ServerConf conf() {
        return conf;
    }

    /** The location for a normalised URI. */
    public LocationMatch<LocationConf> match(String uri) {
        return locations.match(uri);
    }

    /** The named location {@code @name} ({@code name} without {@code @}), or {@code null}. */
    public LocationConf named(String name) {
        return named.get(name);
    }
}
