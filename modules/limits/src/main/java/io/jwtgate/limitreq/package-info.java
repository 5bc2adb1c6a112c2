/**
 * {@code limit_req_zone} and {@code limit_req}: request rate limits per key, nginx's
 * {@code ngx_http_limit_req_module} (docs/limits.md#limit_req). Register {@link io.jwtgate.limitreq.LimitReqModule}
 * with the gateway's modules; {@link io.jwtgate.limitreq.RequestZone} is one zone's state,
 * {@link io.jwtgate.limitreq.LimitReqHandler} the preaccess handler.
 */
package io.jwtgate.limitreq;
