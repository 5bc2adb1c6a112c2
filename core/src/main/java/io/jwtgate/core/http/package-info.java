/**
 * The request-time model modules see: HttpExchange, phases and their handlers, merged location configuration, and the
 * routing tables.
 */
package io.jwtgate.core.http;
