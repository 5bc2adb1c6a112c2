/** {@code geo}: variables whose value depends on the client's address (nginx's {@code ngx_http_geo_module}). */
package io.jwtgate.geo;
