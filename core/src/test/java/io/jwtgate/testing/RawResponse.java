package io.jwtgate.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP/1.x response as {@link RawHttpClient} read it off the wire. Immutable.
 */
public final class RawResponse {

    /** How the body's end was determined (RFC 9112 section 6.3). */
    public enum Framing {
        /** No body: a HEAD response, 1xx, 204 or 304. */
        NONE,
        /** {@code Content-Length}. */
        CONTENT_LENGTH,
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** Neither: the body runs until the server closes the connection. */
        UNTIL_CLOSE
    }

    private final String head;
    private final String version;
    private final int code;
    private final String reason;
    private final Headers headers;
    private final Headers trailers;
    private final Framing framing;
    private final long bodyLength;
    private final String bodySha256;
    private final byte[] body;
    private final String incompleteReason;

    RawResponse(String head, String version, int code, String reason, Headers headers, Headers trailers,
            Framing framing, long bodyLength, String bodySha256, byte[] body, String incompleteReason) {
        this.head = head;
        this.version = version;
        this.code = code;
        this.reason = reason;
        this.headers = headers;
        this.trailers = trailers;
        this.framing = framing;
        this.bodyLength = bodyLength;
        this.bodySha256 = bodySha256;
        this.body = body;
        this.incompleteReason = incompleteReason;
    }

    /** Returns the status line and header lines exactly as received (ISO-8859-1), up to the blank line. */
    public String head() {
        return head;
    }

    /** Returns the version from the status line, e.g. {@code "HTTP/1.1"}. */
    public String version() {
        return version;
    }

    /** Returns the status code. */
    public int code() {
        return code;
    }

    /** Returns the reason phrase; empty if there was none. */
    public String reason() {
        return reason;
    }

    /** Returns the header lines in order. */
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

    /** Returns how the body was delimited. */
    public Framing framing() {
        return framing;
    }

    /**
     * Returns whether the whole body arrived: the declared length, the last chunk and trailers, or (until-close)
     * an orderly end of stream.
     */
    public boolean isBodyComplete() {
        return incompleteReason == null;
    }

    /** Returns why the body is incomplete ({@code "eof"}, {@code "timeout"}, or the I/O error), or {@code null}. */
    public String incompleteReason() {
        return incompleteReason;
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
     * @throws IllegalStateException if the body was read with {@link RawHttpClient#readResponseDiscardingBody()}
     */
    public byte[] body() {
        if (body == null) {
            throw new IllegalStateException("body of " + bodyLength + " bytes was discarded");
        }
        return body.clone();
    }

    /** Returns the body decoded as UTF-8; see {@link #body()}. */
    public String bodyString() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return version + ' ' + code + ' ' + reason + " (" + framing + ", body " + bodyLength + " bytes"
                + (incompleteReason == null ? "" : ", incomplete: " + incompleteReason) + ")";
    }
}
