package io.jwtgate.core.server;

import io.jwtgate.core.codec.FlatHttpHeaders;
import io.jwtgate.core.codec.KnownHeaderNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.InvalidChunkTerminationException;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Netty's request decoder, stricter where request smuggling starts: a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is invalid (Netty would drop the length and go on). Sits first in the pipeline, after
 * TLS.
 *
 * <p>A request head's lines may end in a bare LF, as nginx takes them; {@link HeadLineEnds} refuses the CRs and folded
 * lines nginx refuses before Netty sees them. The chunked body's framing stays CR LF only (Netty's), stricter than
 * nginx's.
 *
 * <p>It also tells, in a chunked body, what each chunk header announces, as a {@link ChunkStart} ahead of the chunk's
 * data: nginx answers a body that a chunk header takes over {@code client_max_body_size} with 413 as that header
 * arrives, before any of its data. Netty keeps the chunk size to itself, so the size line is read here before Netty
 * consumes it.
 */
final class RequestDecoder extends HttpRequestDecoder {

    /** The failure of a request with both {@code Content-Length} and {@code Transfer-Encoding}. */
    static final String BOTH_LENGTHS = "both Content-Length and Transfer-Encoding";

    private final HeadLineEnds lineEnds = new HeadLineEnds();
    /** Whether a request head is being decoded (else a body). */
    private boolean inHead = true;
    /**
     * A request head or body was refused: everything after it is discarded, as Netty does after a bad message (the
     * head line scan must not take the discarded bytes for a next request's head).
     */
    private boolean refused;
    /** The request whose head is being decoded, once Netty has read its request line. */
    private DecodedRequest parsing;
    /** The request whose body is being decoded. */
    private DecodedRequest reading;
    /** Whether a chunked request body is being decoded. */
    private boolean chunkedBody;
    /** Data bytes of the current chunk not yet decoded; at 0 a chunk size line comes next. */
    private long chunkLeft;
    /** The chunk sizes of this body so far, added up. */
    private long announced;
    /** The request being decoded has an {@code Upgrade} header. */
    private boolean upgradeRequest;
    /**
     * After the whole of a request with an {@code Upgrade} header, the bytes that follow stay undecoded until
     * {@link #resume}: if it is answered with 101 they are the new protocol's, and this decoder leaves with them.
     */
    private boolean held;

    /**
     * An empty piece of a chunked request body ahead of each chunk's data: the chunk sizes so far, this one's
     * included, added up. Not part of the body.
     */
    static final class ChunkStart extends DefaultHttpContent {
        private final long announced;

        ChunkStart(long announced) {
            super(Unpooled.EMPTY_BUFFER);
            this.announced = announced;
        }

        /** The body's length if it ended with this chunk. */
        long announced() {
            return announced;
        }
    }

    /**
     * @param maxRequestLine {@code large_client_header_buffers}' size: a longer request line gets 414
     * @param maxHeaderSize its number times its size: longer headers get 400 (nginx's 494 page)
     */
    RequestDecoder(int maxRequestLine, int maxHeaderSize) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(maxRequestLine)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(65536)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(false)
                .setHeadersFactory(FlatHttpHeaders.VALIDATING));
    }

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        return KnownHeaderNames.name(sb, start, length);
    }

    /** A {@link DecodedRequest}, which counts its bytes on the wire. */
    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        String v = initialLine[2];
        // Netty's strict version check for anything but the two versions nearly every request has
        HttpVersion version = v.equals("HTTP/1.1") ? HttpVersion.HTTP_1_1 : v.equals("HTTP/1.0") ? HttpVersion.HTTP_1_0
                : ((HttpRequest) super.createMessage(initialLine)).protocolVersion();
        parsing = new DecodedRequest(version, HttpMethod.valueOf(initialLine[0]), initialLine[1], headersFactory);
        return parsing;
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException(BOTH_LENGTHS);
    }

    /**
     * Netty decodes at most one chunk size line per call, so a size line that is complete in {@code in} before the
     * call and consumed by it is the one this call decoded.
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (held) {
            return;
        }
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (inHead) {
            if (lineEnds.beforeRequestLine()) {
                // nginx skips empty lines before a request line however many; Netty counts them against the
                // request line's length, in the bytes of one read only, so skip them here
                int skipped = 0;
                while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r'
                        || in.getByte(in.readerIndex()) == '\n')) {
                    in.skipBytes(1);
                    skipped++;
                }
                lineEnds.consumed(skipped);
            }
            int badLine = lineEnds.scan(in);
            if (badLine >= 0) {
                refuse(ctx, in, badLine, out);
                return;
            }
        }
        int sizeLineEnd = -1;
        long size = -1;
        boolean sizeLineNext = chunkedBody && chunkLeft == 0;
        if (sizeLineNext) {
            sizeLineEnd = sizeLineEnd(in);
            size = sizeLineEnd < 0 ? -1 : chunkSize(in, in.readerIndex(), sizeLineEnd);
        }
        int first = out.size();
        int before = in.readerIndex();
        boolean refusedNow = false;
        boolean badTermination = false;
        boolean tooLong = false;
        boolean data = false;
        super.decode(ctx, in, out);
        int consumed = in.readerIndex() - before;
        lineEnds.consumed(consumed);
        if (reading != null) {
            reading.addLength(consumed); // body bytes: the head's are counted below
        }
        for (int i = first; i < out.size(); i++) {
            Object m = out.get(i);
            if (m instanceof HttpRequest) {
                HttpRequest request = (HttpRequest) m;
                inHead = false;
                reading = request instanceof DecodedRequest d ? d : null;
                if (reading != null) {
                    reading.addLength(lineEnds.headLength());
                }
                parsing = null;
                chunkedBody = request.decoderResult().isSuccess() && HttpUtil.isTransferEncodingChunked(request);
                chunkLeft = 0;
                announced = 0;
                upgradeRequest = request.decoderResult().isSuccess()
                        && request.headers().contains(HttpHeaderNames.UPGRADE);
            } else if (m instanceof LastHttpContent last) {
                refusedNow = !last.decoderResult().isSuccess();
                refused = refusedNow;
                badTermination = last.decoderResult().cause() instanceof InvalidChunkTerminationException;
                tooLong = last.decoderResult().cause() instanceof TooLongFrameException;
                chunkedBody = false;
                held = upgradeRequest;
                inHead = true;
                reading = null;
                lineEnds.nextHead();
            } else if (m instanceof HttpContent) {
                chunkLeft -= ((HttpContent) m).content().readableBytes();
                data |= ((HttpContent) m).content().isReadable();
            }
        }
        if (sizeLineNext && sizeLineEnd < 0 && tooLong) {
            // a size line Netty refused as too long before its end arrived: its size counts as if it had, so
            // that the answer does not depend on how the line was cut
            sizeLineEnd = in.writerIndex();
            size = chunkSize(in, before, sizeLineEnd);
        }
        // A body refused in this call before any data: the line read here is the one Netty refused only when nginx
        // would take it and Netty cannot (a size past 2^31, a line too long); else Netty refused other bytes, such
        // as an empty line, or a chunk's data not ended by CR LF, where the line read here would start.
        boolean sizeLineRead = data || !refusedNow
                || !badTermination && (size > Integer.MAX_VALUE || tooLong);
        if (sizeLineEnd >= 0 && sizeLineRead && in.readerIndex() >= sizeLineEnd) {
            if (size == 0) {
                chunkedBody = false; // the last chunk: trailer lines follow, not size lines
            } else if (size > 0) {
                // announced even when Netty refused the line (a size past 2^31): nginx takes such a size and
                // answers 413, or 400 without a limit, as the refusal that follows does
                announced = size > Long.MAX_VALUE - announced ? Long.MAX_VALUE : announced + size;
                chunkLeft += size;
                ChunkStart start = new ChunkStart(announced);
                // ahead of the chunk's data when this call decoded some; Netty's output list inserts only before
                // an element, so with no data yet it is appended
                if (first < out.size()) {
                    out.add(first, start);
                } else {
                    out.add(start);
                }
            }
        }
    }

    /** Whether bytes wait undecoded: a pipelined request's, or those held after an upgrade request. */
    boolean buffered() {
        return actualReadableBytes() > 0;
    }

    /** Whether bytes after an upgrade request are held undecoded. */
    boolean held() {
        return held;
    }

    /**
     * The upgrade request was answered without an upgrade: decodes what was held, if anything, as a read would.
     *
     * @param ctx this decoder's context
     */
    void resume(ChannelHandlerContext ctx) {
        if (!held) {
            return;
        }
        held = false;
        upgradeRequest = false;
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    /**
     * Answers a head with a line nginx refuses as Netty answers a malformed one: a request that failed to decode,
     * Netty's stand-in {@code GET /bad-request HTTP/1.0} for a bad request line, else the request as read up to the bad
     * header line (Netty reads the lines before it first). Then everything is discarded.
     */
    private void refuse(ChannelHandlerContext ctx, ByteBuf in, int badLine, List<Object> out) throws Exception {
        boolean requestLine = lineEnds.inRequestLine();
        int first = out.size();
        if (!requestLine) {
            ByteBuf linesBefore = in.slice(in.readerIndex(), badLine - in.readerIndex());
            super.decode(ctx, linesBefore, out);
        }
        refused = true;
        in.skipBytes(in.readableBytes());
        reset(); // Netty forgets the head, and so adds nothing of its own when the connection closes
        if (out.size() > first) {
            return; // Netty refused a line before the bad one (too long, say)
        }
        HttpMessage request = requestLine || parsing == null
                ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request",
                        Unpooled.EMPTY_BUFFER, FlatHttpHeaders.VALIDATING, FlatHttpHeaders.VALIDATING)
                : parsing;
        request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(
                requestLine ? "invalid request line end" : "invalid header line")));
        out.add(request);
    }

    /**
     * The end (past the LF) of the chunk size line at the start of {@code in}, after the CRLF that ends the previous
     * chunk's data if Netty has not consumed it yet; -1 while the line is incomplete.
     */
    private static int sizeLineEnd(ByteBuf in) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            return -1;
        }
        if (lf == start || lf == start + 1 && in.getByte(start) == '\r') {
            lf = in.indexOf(lf + 1, in.writerIndex(), (byte) '\n');
        }
        return lf < 0 ? -1 : lf + 1;
    }

    /**
     * The size the chunk size line from {@code from} to {@code end} announces, or -1 when nginx's chunk parser would
     * reject the line (no hex digit, something else than an extension or the line end after them, a size past 2^59).
     * The line may lack its end, when Netty refused it as too long before it arrived.
     */
    private static long chunkSize(ByteBuf in, int from, int end) {
        int i = from;
        if (i < end && (in.getByte(i) == '\r' || in.getByte(i) == '\n')) {
            i = in.indexOf(i, end, (byte) '\n') + 1; // the previous chunk's CRLF
            if (i == 0) {
                return -1;
            }
        }
        long size = 0;
        int digits = 0;
        for (; i < end; i++, digits++) {
            int digit = hexDigit(in.getByte(i));
            if (digit < 0) {
                break;
            }
            if (size > Long.MAX_VALUE >> 4) {
                return -1;
            }
            size = size << 4 | digit;
        }
        if (i == end) {
            return -1;
        }
        byte next = in.getByte(i);
        boolean lineEnd = next == '\n' || next == '\r' && i + 1 < end && in.getByte(i + 1) == '\n';
        return digits > 0 && (lineEnd || next == ';' || next == ' ' || next == '\t') ? size : -1;
    }

    private static int hexDigit(byte b) {
        return b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10
                : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
    }
}
