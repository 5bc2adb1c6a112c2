package io.jwtgate.testing;

/**
 * One request as {@link TestBackend} received it: the request line as sent, headers in order, trailers, and a
 * summary of the body (length and SHA-256, plus the bytes themselves when at most {@link #BODY_KEEP_LIMIT}).
 * Immutable.
 */
public final class RecordedRequest extends HttpMessageRecord {

    /** Bodies up to this many bytes (1 MiB) are kept; longer ones are only counted and hashed. */
    public static final int BODY_KEEP_LIMIT = 1024 * 1024;

    private final int connectionId;
    private final String method;
    private final String uri;
    private final boolean complete;

    RecordedRequest(int connectionId, String method, String uri, String version, Headers headers, Headers trailers,
            long bodyLength, String bodySha256, byte[] body, boolean complete) {
        super(version, headers, trailers, bodyLength, bodySha256, body);
        this.connectionId = connectionId;
        this.method = method;
        this.uri = uri;
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

    /** Returns whether the body bytes were kept, that is whether {@link #bodyLength()} is at most 1 MiB. */
    public boolean isBodyKept() {
        return hasBody();
    }

    @Override
    String bodyNotKeptMessage() {
        return "body of " + bodyLength() + " bytes was not kept (limit: " + BODY_KEEP_LIMIT + ")";
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
        return method + ' ' + uri + ' ' + version() + " (connection " + connectionId + ", body " + bodyLength()
                + " bytes" + (complete ? "" : ", incomplete") + ")";
    }
}
