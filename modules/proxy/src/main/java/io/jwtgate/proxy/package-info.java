/**
 * nginx's proxy and upstream modules for jwtgate: {@code proxy_pass} with nginx's URI rules, {@code upstream} blocks
 * with smooth weighted round robin, {@code max_fails}/{@code fail_timeout}, backup servers and per-event-loop
 * keep-alive pools, and streaming of request and response bodies with backpressure.
 *
 * <p>The only public type is {@link io.jwtgate.proxy.ProxyModule}; everything else is package-private. The upstream
 * connection of a request always runs on the event loop of its client connection, so no state here is shared between
 * threads except the immutable configuration and the map from event loop to that loop's upstream state.
 */
package io.jwtgate.proxy;
