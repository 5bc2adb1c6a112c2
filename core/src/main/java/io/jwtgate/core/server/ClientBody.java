package io.jwtgate.core.server;

import io.jwtgate.core.http.BodyReader;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client request's body on its way from the connection to the module reading it: the length the head declares,
 * who reads it, whether a piece is wanted, and {@code client_max_body_size} for chunked bodies (a declared length
 * is judged earlier, by find config). Each method that ends the body in failure tells the reader the status and
 * returns {@code false}: the connection can then not be kept alive.
 */
final class ClientBody {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final long contentLength;
    private final boolean chunked;
    private final boolean expectsContinue;
    private BodyReader reader;
    private boolean demand;
    private boolean done;
    private long received;

    ClientBody(HttpRequest request) {
        HttpHeaders headers = request.headers();
        this.chunked = headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true);
        this.contentLength = declaredLength(headers.get(HttpHeaderNames.CONTENT_LENGTH), chunked);
        this.expectsContinue = request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && headers.containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
    }

    /**
     * The body length the head declares: -1 for chunked. The decoder has checked the header of every request that
     * is routed; a malformed one only reaches here to be answered 400 and closed, so it counts as no body.
     */
    private static long declaredLength(String contentLength, boolean chunked) {
        if (contentLength == null) {
            return chunked ? -1 : 0;
        }
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether the request has a body ({@code Content-Length} > 0 or chunked). */
    boolean present() {
        return chunked || contentLength > 0;
    }

    /** The declared length, -1 for chunked. */
    long contentLength() {
        return contentLength;
    }

    /** An HTTP/1.1 request with {@code Expect: 100-continue}: its client waits for our go before the body. */
    boolean expectsContinue() {
        return expectsContinue;
    }

    /** Whether the client still waits for 100 Continue before it sends the body it announced: nobody read it yet. */
    boolean awaitsContinue() {
        return reader == null && present() && expectsContinue;
    }

    void start(BodyReader bodyReader) {
        reader = bodyReader;
    }

    /** Whether the client still sends this body: some of it is to come, and it is not waiting for 100 Continue. */
    boolean coming() {
        return present() && !done && !awaitsContinue();
    }

    /** Asks for the next piece; {@code false} when there is nothing more to ask for. */
    boolean request() {
        if (done || reader == null) {
            return false;
        }
        demand = true;
        return true;
    }

    boolean wanted() {
        return demand && !done;
    }

    boolean done() {
        return done;
    }

    /** Passes one piece from the connection to the reader; called only when {@link #wanted()}. */
    boolean deliver(HttpContent content, long max) {
        demand = false;
        boolean last = content instanceof LastHttpContent;
        if (last) {
            done = true;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            log.info("client sent invalid chunked body"); // nginx's words, not Netty's
            return fail(400);
        }
        if (content instanceof RequestDecoder.ChunkStart start) {
            // not body: a chunk header, judged against the limit before any of its data is read, as nginx does
            content.release();
            if (max > 0 && start.announced() > max) {
                return tooLarge(received + "+" + (start.announced() - received));
            }
            demand = true;
            return true;
        }
        received += content.content().readableBytes();
        if (max > 0 && received > max) {
            content.release();
            return tooLarge(Long.toString(received));
        }
        reader.onBody(content, last);
        return true;
    }

    private boolean tooLarge(String bytes) {
        log.error("client intended to send too large chunked body: {} bytes", bytes);
        return fail(413);
    }

    /** The client did not send the body in time. */
    boolean timedOut() {
        if (reader == null || done) {
            return true;
        }
        log.info("client timed out while sending the request body");
        return fail(408);
    }

    /** The client connection went away. */
    void closed() {
        if (reader != null && !done) {
            fail(499);
        }
    }

    private boolean fail(int status) {
        done = true;
        reader.onBodyError(status);
        return false;
    }
}
