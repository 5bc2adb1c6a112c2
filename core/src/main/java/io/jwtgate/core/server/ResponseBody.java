package io.jwtgate.core.server;

import io.jwtgate.core.http.BodyFilter;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.function.Consumer;

/**
 * A client response on its way to the connection: as it is, or through the body filters the header filters installed
 * ({@link FilteredWriter}); counts the body bytes sent ({@code $body_bytes_sent}). A {@code HEAD} response counts no
 * body. Lives on the connection's event loop.
 */
final class ResponseBody {

    private final ChannelHandlerContext ctx;
    private final boolean headerOnly;
    /** The body filters the header filters installed on this response, if any. */
    private BodyFilterChain filters;
    /** Writes the body through {@link #filters}; null when the body goes out as it is. */
    private FilteredWriter filtered;
    private long sent;

    /** {@code headerOnly}: the response to a {@code HEAD}, whose body is never sent. */
    ResponseBody(ChannelHandlerContext ctx, boolean headerOnly) {
        this.ctx = ctx;
        this.headerOnly = headerOnly;
    }

    void addFilter(BodyFilter filter) {
        if (filters == null) {
            filters = new BodyFilterChain();
        }
        filters.add(filter);
    }

    /** Whether the body goes through body filters. */
    boolean filtered() {
        return filtered != null;
    }

    /** Body bytes sent so far, after the filters. */
    long sent() {
        return filtered != null ? filtered.written() : sent;
    }

    /**
     * nginx's {@code limit_rate} for this response, which starts now: {@code rate} bytes per second (0: none) after
     * its first {@code after} bytes, counted from its request's start ({@link RateLimit}).
     */
    void limitRate(long rate, long after, long requestStartNanos) {
        RateLimit limiter = ctx.pipeline().get(RateLimit.class);
        if (limiter == null) {
            if (rate == 0) {
                return;
            }
            limiter = new RateLimit();
            ctx.pipeline().addBefore(ctx.pipeline().context(ResponseEncoder.class).name(), "limit-rate", limiter);
        }
        long startMillis = System.currentTimeMillis() - (System.nanoTime() - requestStartNanos) / 1_000_000;
        limiter.start(rate, after, startMillis / 1000);
    }

    /** Counts {@code n} bytes written around this writer (a file segment, an upgraded connection's bytes). */
    void countSent(long n) {
        sent += n;
    }

    /**
     * Sets up the body filters the header filters installed, if any, while the head {@code h} is prepared. A filter
     * that changes the length removed {@code Content-Length}, so an HTTP/1.1 body is then chunked (HTTP/1.0: ended by
     * closing, as nginx). HEAD sends no body: the filters are closed at once, the head stays as they left it (nginx's
     * gzip on HEAD). {@code failed} ends the response when a filter fails, given the reason to log.
     */
    void startFilters(HttpHeaders h, boolean http11, Consumer<String> failed) {
        if (filters == null) {
            return;
        }
        if (headerOnly) {
            filters.close();
            return;
        }
        filtered = new FilteredWriter(ctx, filters, failed);
        if (!h.contains(HttpHeaderNames.CONTENT_LENGTH)
                && !h.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)
                && http11) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
    }

    /** Writes a whole response, its head prepared; its content (empty for HEAD) is owned from now on. */
    ChannelFuture whole(FullHttpResponse resp) {
        if (filtered != null) {
            // nginx filters its own pages too (a gzipped 404): the head goes first, the page through the filters
            filtered.head(new DefaultHttpResponse(resp.protocolVersion(), resp.status(), resp.headers()));
            return filtered.write(resp.content(), true);
        }
        sent = resp.content().readableBytes();
        return ctx.writeAndFlush(resp);
    }

    /** Writes a streamed response's head, prepared; with filters it waits for their first output. */
    ChannelFuture head(HttpResponse head) {
        if (filtered != null) {
            filtered.head(head);
            return ctx.newSucceededFuture();
        }
        return ctx.write(head);
    }

    /** Writes a piece of a streamed body, owned from now on. */
    ChannelFuture body(HttpContent content) {
        if (filtered != null) {
            return filtered.write(content.content(), false);
        }
        if (!headerOnly) {
            sent += content.content().readableBytes();
        }
        return ctx.writeAndFlush(content);
    }

    /** Writes the end of a streamed body, owned from now on. */
    ChannelFuture end(LastHttpContent last) {
        if (filtered != null) {
            // trailers were cleared by the proxy, as nginx passes none
            return filtered.write(last.content(), true);
        }
        if (!headerOnly) {
            sent += last.content().readableBytes();
        }
        return ctx.writeAndFlush(last);
    }

    /** The response ended: the filters' native memory (a Deflater's) is freed here, whatever the end. */
    void close() {
        if (filtered != null) {
            filtered.close();
        }
        if (filters != null) {
            filters.close();
        }
    }
}
