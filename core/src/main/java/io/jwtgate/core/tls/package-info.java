/** TLS for client connections: PEM certificate and key loading and per-socket SNI selection. */
package io.jwtgate.core.tls;
