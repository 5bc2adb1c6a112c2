package io.jwtgate.core.http;

/**
 * Where a location's responses come from, as the module that produces them says
 * ({@code HttpModule.contentOrigin}). Other modules ask at load time through
 * {@code HttpInit.contentOrigin}, without knowing which module answers: the JWT module warns
 * when {@code jwt_key_request} points at a location that reaches an upstream on every request, and gives a notice
 * for a protected location whose requests a {@code return} answers before the check.
 */
public enum ContentOrigin {
    /**
     * Made in the gateway in the rewrite phase ({@code return} outside an {@code if}, in the location or its server),
     * before any preaccess or access handler runs: no check of the location (allow/deny, auth_request, JWT) sees
     * these requests. Costs nothing outside the gateway.
     */
    REWRITE_PHASE,
    /** Made in the gateway by a content handler, after the access checks: costs nothing outside it. */
    LOCAL,
    /** Fetched from an upstream through a cache ({@code proxy_pass} with {@code proxy_cache}). */
    CACHED,
    /** Fetched from an upstream on every request ({@code proxy_pass} without a cache). */
    UPSTREAM
}
