/**
 * {@code limit_conn_zone} and {@code limit_conn}: how many requests of one key run at once, as nginx's
 * {@code ngx_http_limit_conn_module} (docs/limits.md#limit_conn). Register
 * {@link io.jwtgate.limitconn.LimitConnModule} with the gateway's modules.
 */
package io.jwtgate.limitconn;
