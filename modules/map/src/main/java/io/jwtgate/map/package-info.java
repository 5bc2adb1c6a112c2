/**
 * {@code map}: variables whose value is looked up from another value, as nginx's {@code ngx_http_map_module}.
 * Register {@link io.jwtgate.map.MapModule} with the gateway's modules.
 */
package io.jwtgate.map;
