package io.jwtgate.limitreq;

import io.jwtgate.limits.ZoneRegistry;

/**
 * One {@code limit_req} of a level.
 *
 * @param zone the zone, declared by the end of the configuration
 * @param burst {@code burst=N} in thousandths of a request
 * @param delay {@code delay=N} in thousandths ({@link #NODELAY} for {@code nodelay}): the excess served without
 *     delay
 */
record Limit(ZoneRegistry.Zone<RequestZone> zone, long burst, long delay) {

    /** {@code nodelay}: nginx's {@code NGX_MAX_INT_T_VALUE / 1000}, in thousandths. */
    static final long NODELAY = Long.MAX_VALUE / 1000 * 1000;
}
