package io.jwtgate.core.server;

import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.VirtualServer;
import io.jwtgate.core.http.route.RegexCaptures;

/**
 * Where a request went: its normalised path and arguments, the server and location chosen, and the regex captures
 * of the match (the location's, else the server name's).
 *
 * @param uri {@code $uri}
 * @param args {@code $args}, or {@code null}
 * @param host the normalised host, or {@code null} when the request had none
 * @param server the chosen server
 * @param location the matched location, or the server's own configuration when none matched
 * @param captures the regex captures, {@link RegexCaptures#NONE} without regex
 */
record Route(String uri, String args, String host, VirtualServer server, LocationConf location, RegexCaptures captures) {

    String capture(int n) {
        return n <= captures.groupCount() ? captures.group(n) : null;
    }
}
