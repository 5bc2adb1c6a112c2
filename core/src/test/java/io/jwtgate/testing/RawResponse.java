package io.jwtgate.testing;

/**
 * One HTTP/1.x response as {@link RawHttpClient} read it off the wire. Immutable.
 */
public final class RawResponse extends HttpMessageRecord {

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
    private final int code;
    private final String reason;
    private final Framing framing;
    private final String incompleteReason;

    RawResponse(String head, String version, int code, String reason, Headers headers, Headers trailers,
            Framing framing, long bodyLength, String bodySha256, byte[] body, String incompleteReason) {
        super(version, headers, trailers, bodyLength, bodySha256, body);
        this.head = head;
        this.code = code;
        this.reason = reason;
        this.framing = framing;
        this.incompleteReason = incompleteReason;
    }

    /** Returns the status line and header lines exactly as received (ISO-8859-1), up to the blank line. */
    public String head() {
        return head;
    }

    /** Returns the status code. */
    public int code() {
        return code;
    }

    /** Returns the reason phrase; empty if there was none. */
    public String reason() {
        return reason;
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

    @Override
    String bodyNotKeptMessage() {
        return "body of " + bodyLength() + " bytes was discarded";
    }

    @Override
    public String toString() {
        return version() + ' ' + code + ' ' + reason + " (" + framing + ", body " + bodyLength() + " bytes"
                + (incompleteReason == null ? "" : ", incomplete: " + incompleteReason) + ")";
    }
}
