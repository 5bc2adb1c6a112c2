package io.jwtgate.core.server;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.AsciiString;

/**
 * Netty's request decoder, stricter where request smuggling starts: a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is invalid (Netty would drop the length and go on). Sits first in the pipeline, after
 * TLS.
 */
final class RequestDecoder extends HttpRequestDecoder {

    /** nginx's {@code large_client_header_buffers 4 8k}: a request line over 8 KiB gets 414. */
    static final int MAX_REQUEST_LINE = 8192;
    /** nginx's {@code large_client_header_buffers 4 8k}: a header line over 8 KiB gets 400 (its 494 page). */
    static final int MAX_HEADER_LINE = 8192;
    /** All request headers together; over this the request gets 400 (nginx's 494 page) as nginx answers. */
    static final int MAX_HEADER_SIZE = 32768;

    /** The failure of a request with both {@code Content-Length} and {@code Transfer-Encoding}. */
    static final String BOTH_LENGTHS = "both Content-Length and Transfer-Encoding";

    RequestDecoder() {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(65536)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true)
                .setHeadersFactory(FlatHttpHeaders.VALIDATING));
    }

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        return KnownHeaderNames.name(sb, start, length);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException(BOTH_LENGTHS);
    }
}
