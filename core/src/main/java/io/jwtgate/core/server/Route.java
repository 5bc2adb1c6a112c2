package io.jwtgate.core.server;

import io.jwtgate.core.http.VirtualServer;
import io.jwtgate.core.http.route.RegexCaptures;

/**
 * Where a request was sent, as the request head and the virtual-server selection decided it: the normalised path
 * and arguments it starts with (a rewrite or an internal redirect changes the request's, not these), the host and
 * the server chosen. The location is looked up later, by the find config step of the phases.
 *
 * @param uri the first {@code $uri}
 * @param args the first {@code $args}, or {@code null}
 * @param host the normalised host, or {@code null} when the request had none
 * @param server the chosen server
 * @param serverCaptures the captures of the server name's regex, {@link RegexCaptures#NONE} without regex
 */
record Route(String uri, String args, String host, VirtualServer server, RegexCaptures serverCaptures) {
}
