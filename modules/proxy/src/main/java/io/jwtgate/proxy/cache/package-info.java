/**
 * nginx's {@code proxy_cache}: {@code proxy_cache_path} zones (files on disk, a Caffeine index in memory), the
 * per-location settings, and the lookup that serves a hit or lets the proxy fill the entry. The proxy module reaches
 * it through {@link io.jwtgate.proxy.cache.ProxyCache} only; see {@code docs/cache.md}.
 */
package io.jwtgate.proxy.cache;
