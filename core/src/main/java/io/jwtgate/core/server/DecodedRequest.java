package io.jwtgate.core.server;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A request as {@link RequestDecoder} read it, with the bytes it took on the wire so far: the head from its request
 * line on, then the body as it is decoded, chunk framing included (nginx's {@code r->request_length}).
 */
final class DecodedRequest extends DefaultHttpRequest {

    private long length;

    DecodedRequest(HttpVersion version, HttpMethod method, String uri, HttpHeadersFactory headers) {
        super(version, method, uri, headers);
    }

    long length() {
        return length;
    }

    void addLength(long bytes) {
        length += bytes;
    }
}
