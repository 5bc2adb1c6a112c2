package io.jwtgate.core.var;

import io.jwtgate.core.http.HttpExchange;

/**
 * Computes a variable's value for a request; {@code null} means "not found", which interpolates as empty. One getter
 * may serve many variables through {@code data} (a header name for {@code $http_*}, a claim path for
 * {@code jwt_claim}).
 */
@FunctionalInterface
public interface VariableGetter {

    String get(HttpExchange x, Object data);
}
