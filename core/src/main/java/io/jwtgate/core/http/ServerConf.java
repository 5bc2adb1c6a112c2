package io.jwtgate.core.http;

import java.util.List;

/**
 * A {@code server} block, resolved.
 *
 * @param names the server names as written, the first one is {@code $server_name}
 * @param conf the server level's merged configuration, used when no location matches
 */
public record ServerConf(List<String> names, LocationConf conf) {

    public String primaryName() {
        return names.isEmpty() ? "" : names.get(0);
    }
}
