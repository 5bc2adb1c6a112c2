package io.jwtgate.core.http;

/**
 * A handler in one phase. It returns {@link #DECLINED} when it has nothing to do for this location (which must be
 * cheap), {@link #OK} when it is satisfied (access) or has taken over the response (content), {@link #ASYNC} when it
 * will call {@link HttpExchange#resume(int)} later on the request's event loop, or an HTTP status to finish the
 * request with.
 */
@FunctionalInterface
public interface PhaseHandler {

    int OK = 0;
    int DECLINED = -1;
    int ASYNC = -2;

    int handle(HttpExchange x);
}
