package io.jwtgate.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a {@link RecordedRequest} and a {@link RawResponse} have in common: the version, headers, trailers and a
 * summary of the body (length, SHA-256, and the bytes when kept). One base so both read the same way in tests.
 * Immutable; extended only in this package.
 */
public abstract class HttpMessageRecord {

    private final String version;
    private final Headers headers;
    private final Headers trailers;
    private final long bodyLength;
    private final String bodySha256;
    private final byte[] body;

    HttpMessageRecord(String version, Headers headers, Headers trailers, long bodyLength, String bodySha256,
            byte[] body) {
        this.version = version;
        this.headers = headers;
        this.trailers = trailers;
        this.bodyLength = bodyLength;
        this.bodySha256 = bodySha256;
        this.body = body;
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

    /**
     * Returns a copy of the body bytes received.
     *
     * @throws IllegalStateException if the bytes were not kept: a request body longer than
     *     {@link RecordedRequest#BODY_KEEP_LIMIT}, or a response read with
     *     {@link RawHttpClient#readResponseDiscardingBody()}
     */
    public byte[] body() {
        if (body == null) {
            throw new IllegalStateException(bodyNotKeptMessage());
        }
        return body.clone();
    }

    /** Returns the body decoded as UTF-8; see {@link #body()}. */
    public String bodyString() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** Whether the body bytes were kept, so {@link #body()} does not throw. */
    final boolean hasBody() {
        return body != null;
    }

    /** The message of the exception {@link #body()} throws when the bytes were not kept; each subclass says why. */
    abstract String bodyNotKeptMessage();
}
