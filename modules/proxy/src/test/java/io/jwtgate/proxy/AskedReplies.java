package io.jwtgate.proxy;

import io.jwtgate.testing.Behaviour;
import io.jwtgate.testing.Reply;

/**
 * A {@link io.jwtgate.testing.TestBackend} behaviour for response header tests: the upstream answers as the request
 * asks, so that one upstream serves every case of a differential test. The status is the request's
 * {@code X-Reply-Status} (200 without), each {@code X-Reply: Name: value} becomes the response header
 * {@code Name: value}, and the body is the method and URI the upstream received.
 */
final class AskedReplies {

    private AskedReplies() {
    }

    static Behaviour behaviour() {
        return request -> {
            String status = request.header("X-Reply-Status");
            Reply reply = Reply.status(status == null ? 200 : Integer.parseInt(status),
                    request.method() + " " + request.uri());
            for (String h : request.headers("X-Reply")) {
                int colon = h.indexOf(':');
                reply = reply.header(h.substring(0, colon), h.substring(colon + 1).trim());
            }
            return reply;
        };
    }
}
