package io.jwtgate.core.http;

/**
 * How {@link HttpExchange#subrequest} makes its {@code GET}.
 *
 * @param clientHeaders the subrequest carries the request headers of the request that makes it (nginx shares
 *     {@code headers_in}), else only {@code Host}
 * @param headerOnly the subrequest ends as soon as its response head is known (nginx's {@code header_only}): its
 *     body is never read into memory, and an upstream still sending one is closed
 * @param maxBody without {@code headerOnly}, the most response body bytes kept in memory
 */
public record SubrequestOptions(boolean clientHeaders, boolean headerOnly, int maxBody) {

    /** A {@code GET} with only {@code Host}, its response body kept up to {@code maxBody} (jwt_key_request). */
    public static SubrequestOptions keepBody(int maxBody) {
        return new SubrequestOptions(false, false, maxBody);
    }

    /** An access check as {@code auth_request}'s: the client's headers, no body, only the response head. */
    public static SubrequestOptions accessCheck() {
        return new SubrequestOptions(true, true, 0);
    }
}
