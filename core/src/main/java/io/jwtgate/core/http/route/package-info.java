/**
 * Request routing as nginx does it, with no network types: {@link io.jwtgate.core.http.route.UriNormalizer} turns the
 * request path into nginx's {@code $uri}, {@link io.jwtgate.core.http.route.ServerNames} picks the virtual server of a
 * listening socket from the {@code Host}, and {@link io.jwtgate.core.http.route.LocationTree} picks the location.
 *
 * <p>Everything here is built once at configuration time and is immutable and thread-safe afterwards. The types are
 * generic over the payload the gateway attaches (its merged per-server or per-location configuration).
 */
package io.jwtgate.core.http.route;
