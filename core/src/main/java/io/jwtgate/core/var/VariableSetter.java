package io.jwtgate.core.var;

import io.jwtgate.core.http.HttpExchange;

/**
 * Changes the request when the rewrite module's {@code set} assigns a variable that stands for a part of it, as
 * nginx's {@code set_handler} ({@code set $args ...} replaces the query string).
 */
@FunctionalInterface
public interface VariableSetter {

    void set(HttpExchange x, String value, Object data);
}
