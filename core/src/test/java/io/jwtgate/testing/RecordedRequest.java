package io.jwtgate.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request as {@link TestBackend} received it: the request line as sent, headers in order, trailers, and a
 * summary of the body (length and SHA-256, plus the bytes themselves when at most {@link #BODY_KEEP_LIMIT}).
 * Immutable.
 */
public final class RecordedRequest {

    /** Bodies up to this many bytes (1 MiB) are kept; longer ones are only counted and hashed. */
    public static final int BODY_KEEP_LIMIT = 1024 * 1024;

    private final int connectionId;
    private final String method;
    private final String uri;
    private final String version;
    private final Headers headers;
    private final Headers trailers;
    private final long bodyLength;
    private final String bodySha256;
    private final byte[] body;
    private final boolean complete;

    RecordedRequest(int connectionId, String method, String uri, String version, Headers headers, Headers trailers,
            long bodyLength, String bodySha256, byte[] body, boolean complete) {
        this.connectionId = connectionId;
        this.method = method;
        this.uri = uri;
        this.version = version;
        this.headers = headers;
        this.trailers = trailers;
        this.bodyLength = bodyLength;
        this.bodySha256 = bodySha256;
        this.body = body;
        this.complete = complete;
    }

    /** Returns which accepted connection carried this request: 1 for the first one since start, and so on. */
    public int connectionId() {
        return connectionId;
    }

    /** Returns the method as sent, e.g. {@code "GET"}. */
    public String method() {
        return method;
    }

    /** Returns the request target exactly as sent on the request line (not decoded or normalized). */
    public String uri() {
        return uri;
    }

    /** Returns the protocol version as sent, e.g. {@code "HTTP/1.1"}. */
    public String version() {
        return version;
    }

    /** Returns all header lines in order. */
    public Headers headers() {
        return headers;
    }

    /** Returns the first value of header {@code name} (any case), or {@code null} if absent. */
    public String header(String name) {
        return headers.first(name);
    }

    /** Returns every value of header {@code name} (any case), in order. */
    public List<String> headers(String name) {
        return headers.all(name);
    }

    /** Returns the trailer fields of a chunked body; empty otherwise. */
    public Headers trailers() {
        return trailers;
    }

    /** Returns the number of body bytes received (after chunked decoding). */
    public long bodyLength() {
        return bodyLength;
    }

    /** Returns the lower-case hex SHA-256 of the body bytes received. */
    public String bodySha256() {
        return bodySha256;
    }

    /** Returns whether the body bytes were kept, that is whether {@link #bodyLength()} is at most 1 MiB. */
    public boolean isBodyKept() {
        return body != null;
    }

    /**
     * Returns a copy of the body.
     *
     * @throws IllegalStateException if the body was longer than {@link #BODY_KEEP_LIMIT} and so not kept
     */
    public byte[] body() {
        if (body == null) {
            throw new IllegalStateException(
                    "body of " + bodyLength + " bytes was not kept (limit: " + BODY_KEEP_LIMIT + ")");
        }
        return body.clone();
    }

    /** Returns the body decoded as UTF-8; see {@link #body()}. */
    public String bodyString() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /**
     * Returns whether the whole request arrived. An incomplete request is recorded when the connection closed
     * mid-body; the backend did not answer it.
     */
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String toString() {
        return method + ' ' + uri + ' ' + version + " (connection " + connectionId + ", body " + bodyLength
                + " bytes" + (complete ? "" : ", incomplete") + ")";
    }
}
