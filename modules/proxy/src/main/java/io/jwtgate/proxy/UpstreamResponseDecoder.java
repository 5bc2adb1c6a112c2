package io.jwtgate.proxy;

import io.jwtgate.core.codec.FlatHttpHeaders;
import io.jwtgate.core.codec.KnownHeaderNames;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.AsciiString;

/**
 * Netty's response decoder, told whether the response answers a {@code HEAD} request (which has no body whatever its
 * headers say), since the proxy writes requests itself instead of through {@code HttpClientCodec}. First in an
 * upstream connection's pipeline, before {@link UpstreamHandler}. One instance per channel.
 */
final class UpstreamResponseDecoder extends HttpResponseDecoder {

    /** nginx's {@code proxy_buffer_size}: the status line and headers of a response must fit; {@value} bytes. */
    static final int MAX_HEADER_SIZE = 8192;
    /** Largest body piece handed on at once; a read is never split into smaller pieces than this. */
    static final int MAX_CHUNK_SIZE = 1024 * 1024;

    private boolean headRequest;

    UpstreamResponseDecoder() {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_HEADER_SIZE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(MAX_CHUNK_SIZE)
                .setValidateHeaders(false) // for trailers too, which keep Netty's headers (they are rare)
                .setHeadersFactory(FlatHttpHeaders.NOT_VALIDATING));
    }

    /** Set before each request is written. */
    void headRequest(boolean head) {
        headRequest = head;
    }

    /** The bytes received and not decoded yet: after a response head, the start of its body. */
    int unread() {
        return internalBuffer().readableBytes();
    }

    /**
     * A header name followed by a space or tab (inside the name, or before the colon) makes the head invalid, as in
     * nginx's parser; Netty would take the part before the blank as the name. The decoder ends such a name at the
     * blank, which is the byte after it in the line's array.
     */
    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        int after = start + length;
        if (after < sb.length && (sb[after] == ' ' || sb[after] == '\t')) {
            throw new IllegalArgumentException("upstream sent invalid header");
        }
        return KnownHeaderNames.name(sb, start, length);
    }

    /** A 101 never has a body (Netty reads one after an old-style WebSocket 101): the tunnel's bytes follow it. */
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        return headRequest || msg instanceof HttpResponse r && r.status().code() == 101
                || super.isContentAlwaysEmpty(msg);
    }
}
