/**
 * TLS for client connections: per-socket SNI selection of the certificate, cipher strings, and what a connection's
 * handshake gives nginx's {@code $ssl_*} variables.
 */
package io.jwtgate.core.tls;
