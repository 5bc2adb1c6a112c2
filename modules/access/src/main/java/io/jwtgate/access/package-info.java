/**
 * {@code allow} and {@code deny}: client address rules in the access phase, as nginx's
 * {@code ngx_http_access_module}. Register {@link io.jwtgate.access.AccessModule} with the gateway's modules.
 */
package io.jwtgate.access;
