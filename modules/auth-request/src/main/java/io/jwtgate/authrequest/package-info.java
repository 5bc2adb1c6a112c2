/**
 * {@code auth_request} and {@code auth_request_set}: an access check by a subrequest, as nginx's
 * {@code ngx_http_auth_request_module} (docs/auth_request.md). Register
 * {@link io.jwtgate.authrequest.AuthRequestModule} with the gateway's modules, after the JWT module.
 */
package io.jwtgate.authrequest;
