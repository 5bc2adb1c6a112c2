/**
 * nginx's proxy and upstream modules for jwtgate: {@code proxy_pass} with nginx's URI rules, {@code upstream} blocks
 * with smooth weighted round robin, {@code max_fails}/{@code fail_timeout}, backup servers and per-event-loop
 * keep-alive pools, request and response bodies buffered through memory and temporary files as nginx's
 * ({@code BufferingConf}) or streamed with backpressure.
 *
 * <p>Two modules, as in nginx: {@link io.jwtgate.proxy.UpstreamModule} ({@code upstream} blocks, their groups in its
 * http-wide configuration) and {@link io.jwtgate.proxy.ProxyModule} ({@code proxy_*}, with upstream TLS in
 * {@code ProxySsl} and the cache glue in {@code cache.ProxyCache}); {@link io.jwtgate.proxy.ProxyModules} registers
 * both, after the {@code resolver} module of {@code resolve}, which a {@code proxy_pass} with variables
 * ({@code PassResolution}) and {@code server ... resolve} ({@code UpstreamResolution}) ask for addresses. A proxied
 * request is a {@code ProxyRequest} with three parts: {@code PeerConnector}, {@code RequestBodyPump} and
 * {@code ResponseRelay}, with {@code RequestBodyBuffer} and {@code ResponseBuffer} when bodies are buffered (their
 * file I/O on the {@code TempFiles} executor). Everything but the modules is package-private. The upstream
 * connection of a request always runs on the event loop of its client connection, so no state here is shared
 * between threads except the immutable configuration, the map from event loop to that loop's upstream state, and
 * the peers of a group with {@code server ... resolve}, which {@code UpstreamResolution} replaces as a whole.
 */
package io.jwtgate.proxy;
