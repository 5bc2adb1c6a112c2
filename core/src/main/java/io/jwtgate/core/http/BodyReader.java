package io.jwtgate.core.http;

import io.netty.handler.codec.http.HttpContent;

/**
 * Receives a request body piece by piece, one piece per {@link Downstream#requestBody()} call, so that a slow
 * upstream slows the client down instead of filling memory.
 */
public interface BodyReader {

    /** The next piece of the body; the reader takes ownership and must release it. {@code last} ends the body. */
    void onBody(HttpContent content, boolean last);

    /**
     * The body cannot be read to the end: 413 (over {@code client_max_body_size}), 408 (client too slow), 400
     * (malformed chunked encoding) or 499 (client went away).
     */
    void onBodyError(int status);
}
