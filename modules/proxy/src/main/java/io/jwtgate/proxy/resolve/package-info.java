/**
 * nginx's resolver for jwtgate: the {@code resolver} and {@code resolver_timeout} directives
 * ({@link io.jwtgate.proxy.resolve.ResolverModule}) and the name resolution behind them
 * ({@link io.jwtgate.proxy.resolve.Resolver}), done by Netty's DNS resolver on the event loop that asks, never by a
 * blocking lookup. Used by {@code proxy_pass} with variables and by {@code server ... resolve} in an upstream. See
 * {@code docs/proxy.md}, "Resolver".
 */
package io.jwtgate.proxy.resolve;
