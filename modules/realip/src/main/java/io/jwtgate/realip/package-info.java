/**
 * {@code set_real_ip_from}, {@code real_ip_header}, {@code real_ip_recursive}: the client's address behind a load
 * balancer, as nginx's {@code ngx_http_realip_module}. Register {@link io.jwtgate.realip.RealIpModule} with the
 * gateway's modules.
 */
package io.jwtgate.realip;
