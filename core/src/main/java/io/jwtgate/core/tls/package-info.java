/** TLS for client connections: per-socket SNI selection of the certificate. */
package io.jwtgate.core.tls;
