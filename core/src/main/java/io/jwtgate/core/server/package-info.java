/** The network layer (Netty): listening sockets, connections, the request decoder and the exchange with its streaming API for the proxy. The only package besides modules' own network code that uses Netty types. */
package io.jwtgate.core.server;
