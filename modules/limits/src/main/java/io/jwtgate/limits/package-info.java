/**
 * What {@code limit_req} and {@code limit_conn} share, as nginx's two modules share its shared memory
 * (docs/limits.md#zones): the {@code zone=name:size} parameter ({@link io.jwtgate.limits.ZoneParameter}), the zones
 * of one configuration load ({@link io.jwtgate.limits.ZoneRegistry}), how many entries a zone of a given size holds
 * ({@link io.jwtgate.limits.SlabPool}, nginx's slab allocator as a model), the key of a request
 * ({@link io.jwtgate.limits.LimitKey}) and the {@code *_status}, {@code *_log_level} and {@code *_dry_run}
 * directives ({@link io.jwtgate.limits.LimitSettings}).
 *
 * <p>Everything here is read or built at configuration time, except {@link io.jwtgate.limits.LimitKey#evaluate} and
 * {@link io.jwtgate.limits.SlabPool}, which run per request. The API is shared by two modules: keep it stable.
 */
package io.jwtgate.limits;
