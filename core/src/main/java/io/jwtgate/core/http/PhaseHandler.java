package io.jwtgate.core.http;

/**
 * A handler in one phase. It returns {@link #DECLINED} when it has nothing to do for this location (which must be
 * cheap), {@link #OK} when it is satisfied (preaccess, access) or has taken the request over (rewrite phases,
 * content: it answered, finalized or redirected it), {@link #ASYNC} when it will call
 * {@link HttpExchange#resume(int)} later on the request's event loop, or an HTTP status to finalize the request with
 * (docs/modules.md#request-flow).
 */
@FunctionalInterface
public interface PhaseHandler {

    int OK = 0;
    int DECLINED = -1;
    int ASYNC = -2;

    int handle(HttpExchange x);
}
