package io.jwtgate.core.http;

/** Sees every response head, from any module, before it is written (nginx's header filter chain). */
@FunctionalInterface
public interface HeaderFilter {

    void filter(HttpExchange x, int status, ResponseHeaders headers);
}
