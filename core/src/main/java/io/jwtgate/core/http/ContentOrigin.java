package io.jwtgate.core.http;

/**
 * Where a location's responses come from, as the module that produces them says
 * ({@code HttpModule.contentOrigin}). Other modules ask at load time through
 * {@code HttpInit.contentOrigin}, without knowing which module answers: the JWT module warns
 * when {@code jwt_key_request} points at a location that reaches an upstream on every request.
 */
public enum ContentOrigin {
    /** Made in the gateway ({@code return}): costs nothing outside it. */
    LOCAL,
    /** Fetched from an upstream through a cache ({@code proxy_pass} with {@code proxy_cache}). */
    CACHED,
    /** Fetched from an upstream on every request ({@code proxy_pass} without a cache). */
    UPSTREAM
}
