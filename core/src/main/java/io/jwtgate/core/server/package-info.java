/**
 * The network layer (Netty): listening sockets, connections, the request decoder (with the header names and the
 * flat header list that both HTTP decoders, the proxy's included, build heads with) and the exchange with its
 * streaming API for the proxy. The only package besides modules' own network code that uses Netty types.
 */
package io.jwtgate.core.server;
