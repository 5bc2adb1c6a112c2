package io.jwtgate.proxy;

import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.Downstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.CharsetUtil;

/**
 * The sending part of a {@link ProxyRequest}: writes the request head to the upstream connection, then the body:
 * as the client sends it (chunked again when the client sent it chunked), or, when it was read whole first
 * ({@code proxy_request_buffering}, {@link RequestBodyBuffer}), from the buffer with its length. The next body piece
 * is asked for only after the previous write completed, so that a slow upstream slows the client down instead of
 * filling memory.
 *
 * <p>Lives on the client's event loop only; owns each body piece the downstream gives it and passes it to the
 * upstream channel or releases it.
 */
final class RequestBodyPump implements BodyReader {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final ByteBuf CRLF_BUF =
            Unpooled.unreleasableBuffer(Unpooled.directBuffer(2).writeBytes(CRLF).asReadOnly());
    private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(5).writeBytes("0\r\n\r\n".getBytes(CharsetUtil.US_ASCII)).asReadOnly());

    private final ProxyRequest r;
    private final ChannelFutureListener written = this::written;

    private boolean started;
    private boolean sent;
    private boolean lastPieceWritten;
    /** The body goes out chunked: the client sent it so and it is streamed. */
    private boolean chunked;
    /** This attempt's sending of the buffered body, or {@code null} when it streams from the client. */
    private RequestBodyBuffer.Replay replay;

    RequestBodyPump(ProxyRequest r) {
        this.r = r;
    }

    /**
     * Whether the whole request can be sent again, on another connection ({@code proxy_next_upstream}): it has no
     * body, its body was read whole before the upstream was connected ({@code proxy_request_buffering}), or
     * streaming its body has not begun. Then {@link #send} on the next connection sends it all again.
     */
    boolean replayable() {
        return !started;
    }

    /** Whether the whole request went out on the current connection. */
    boolean sent() {
        return sent;
    }

    /** Sends the request on {@code ch}, a new attempt: the head now, the body as it arrives. */
    void send(Channel ch) {
        Downstream x = r.x;
        ProxyConf conf = r.conf;
        // proxy_set_body replaces the client's body, which the server then reads and discards
        boolean body = conf.passRequestBody() && x.hasBody() && r.setBody == null;
        RequestBodyBuffer buffered = r.bodyBuffer;
        long length;
        if (r.setBody != null) {
            length = r.setBody.length;
        } else if (body) {
            length = buffered != null ? buffered.length() : x.contentLength();
        } else if (conf.passRequestBody() && x.request().headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            length = 0;
        } else {
            length = -2;
        }
        // a request that may fill the cache asks for the whole response (nginx's headers_cache)
        boolean fills = r.fillsCache();
        ByteBuf head = (fills ? conf.cacheHead() : conf.head()).encode(ch.alloc(), r.hx, x.request().headers(),
                r.method, r.uri, r.proxyHost, conf.http11(), length, fills ? r.cache.validators() : null);
        if (r.setBody != null) {
            head.writeBytes(r.setBody);
        }
        sent = false;
        lastPieceWritten = !body;
        chunked = body && length < 0;
        if (replay != null) {
            replay.cancel();
        }
        // the buffered body's first piece is asked for once the head is written
        replay = body && buffered != null ? buffered.replay(this) : null;
        r.armWrite();
        ch.writeAndFlush(head).addListener(written);
        if (r.done) {
            return;
        }
        if (body && buffered == null && !started) {
            started = true;
            x.readBody(this);
        }
    }

    /** Asks for the next body piece: from the buffer, or from the client. */
    private void next() {
        if (replay != null) {
            replay.next();
        } else {
            r.x.requestBody();
        }
    }

    @Override
    public void onBody(HttpContent content, boolean last) {
        UpstreamHandler conn = r.conn;
        if (r.done || conn == null) {
            content.release();
            return;
        }
        Channel ch = conn.channel();
        ByteBuf data = content.content();
        ChannelFuture f = null;
        if (chunked) {
            int n = data.readableBytes();
            if (n > 0) {
                ByteBuf size = ch.alloc().buffer(10);
                size.writeCharSequence(Integer.toHexString(n), CharsetUtil.US_ASCII);
                size.writeBytes(CRLF);
                ch.write(size);
                ch.write(data);
                f = ch.write(CRLF_BUF.duplicate());
            } else {
                data.release();
            }
            if (last) {
                f = ch.write(LAST_CHUNK.duplicate());
            }
        } else if (data.isReadable() || last) {
            f = ch.write(data);
        } else {
            data.release();
        }
        lastPieceWritten = last;
        if (f == null) {
            next();
            return;
        }
        r.armWrite();
        ch.flush();
        f.addListener(written);
    }

    @Override
    public void onBodyError(int status) {
        r.clientBodyFailed(status);
    }

    private void written(ChannelFuture f) {
        UpstreamHandler conn = r.conn;
        if (conn == null || f.channel() != conn.channel()) {
            return; // a write of an attempt given up (a buffered body goes again to the next peer)
        }
        r.writeDone();
        if (r.done) {
            return;
        }
        if (!f.isSuccess()) {
            r.upstreamBroken(ProxyRequest.Failure.ERROR, "send() failed (" + Errno.describe(f.cause()) + ")",
                    "sending request to upstream");
            return;
        }
        if (lastPieceWritten) {
            if (!sent) {
                sent = true;
                r.relay.requestSent();
            }
        } else {
            next();
        }
    }
}
