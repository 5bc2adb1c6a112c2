package io.jwtgate.core.server;

import io.jwtgate.core.http.BodyFilter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Writes a client response's body through its {@link BodyFilterChain}, with back-pressure: the output goes to the
 * connection one filter buffer at a time, and after {@link #BURST} bytes, or when the connection's outbound buffer
 * is full, the writer waits until that is written before it polls more. A piece whose output is huge (a gzip bomb
 * through {@code gunzip}) so neither fills memory nor holds the event loop. Pieces handed over while the writer
 * waits queue up; each one's future completes once its output is written, so the proxy reads its upstream again
 * only then. Lives on the connection's event loop.
 */
final class FilteredWriter {

    /** Output written in one go before the writer lets the event loop run other work. */
    static final int BURST = 256 * 1024;

    private record Piece(ByteBuf in, boolean last, ChannelPromise written) {
    }

    private final ChannelHandlerContext ctx;
    private final BodyFilterChain chain;
    private final Consumer<String> failed;
    private final ArrayDeque<Piece> queue = new ArrayDeque<>(2);
    /** The piece whose output is being polled. */
    private Piece current;
    /** The last write of the current piece's output. */
    private ChannelFuture lastWrite;
    /** The response head, held back until the filters give their first output. */
    private HttpResponse head;
    private boolean waiting;
    private boolean pumping;
    private boolean closed;
    private long written;

    /** {@code failed} ends the response when a filter fails, given the reason to log. */
    FilteredWriter(ChannelHandlerContext ctx, BodyFilterChain chain, Consumer<String> failed) {
        this.ctx = ctx;
        this.chain = chain;
        this.failed = failed;
    }

    /**
     * Holds {@code head} back until the filters give output, or the body ends: a body that fails before it gives
     * anything (not gzip at all) closes the connection without a response, as nginx's client sees it (nginx sends
     * the head with the first body bytes).
     */
    void head(HttpResponse response) {
        head = response;
    }

    /** Body bytes written so far, after the filters. */
    long written() {
        return written;
    }

    /** Passes {@code in} (owned from now on) through the filters; after {@code last} the last content is written. */
    ChannelFuture write(ByteBuf in, boolean last) {
        if (closed) {
            in.release(); // the response ended meanwhile (a filter failed, the client left)
            return ctx.newFailedFuture(new IllegalStateException("response closed"));
        }
        ChannelPromise p = ctx.newPromise();
        queue.add(new Piece(in, last, p));
        if (!waiting && !pumping) {
            pump();
        }
        return p;
    }

    private void pump() {
        waiting = false;
        pumping = true;
        long burst = 0;
        try {
            while (true) {
                if (current == null) {
                    current = queue.poll();
                    if (current == null) {
                        return;
                    }
                    lastWrite = null;
                    chain.offer(current.in(), current.last());
                }
                ByteBuf out = chain.poll(ctx.alloc());
                if (out == null) {
                    pieceDone();
                    continue;
                }
                if (!out.isReadable()) {
                    out.release();
                    continue;
                }
                burst += out.readableBytes();
                written += out.readableBytes();
                writeHead();
                lastWrite = ctx.write(new DefaultHttpContent(out));
                if (burst >= BURST || !ctx.channel().isWritable()) {
                    ctx.flush();
                    waitFor(lastWrite);
                    return;
                }
            }
        } catch (BodyFilter.Failure e) {
            ctx.flush();
            close();
            failed.accept(e.getMessage());
        } finally {
            pumping = false;
        }
    }

    private void pieceDone() {
        Piece done = current;
        current = null;
        if (done.last()) {
            writeHead();
        }
        ChannelFuture w = done.last() ? ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT) : lastWrite;
        if (!done.last()) {
            ctx.flush();
        }
        if (w == null) {
            done.written().setSuccess();
        } else {
            w.addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    done.written().trySuccess();
                } else {
                    done.written().tryFailure(f.cause());
                }
            });
        }
    }

    private void writeHead() {
        if (head != null) {
            ctx.write(head);
            head = null;
        }
    }

    private void waitFor(ChannelFuture f) {
        waiting = true;
        if (f.isDone()) {
            ctx.executor().execute(this::resume); // already written: let the loop run its other work first
        } else {
            f.addListener((ChannelFutureListener) done -> resume());
        }
    }

    private void resume() {
        if (waiting && !closed && ctx.channel().isActive()) {
            pump();
        }
        // a connection gone closes the exchange, which closes this writer
    }

    /** Frees the filters and the pieces still queued; nothing is written any more. */
    void close() {
        chain.close();
        closed = true;
        head = null;
        if (current != null) {
            current.written().tryFailure(new IllegalStateException("response closed"));
            current = null;
        }
        for (Piece p = queue.poll(); p != null; p = queue.poll()) {
            p.in().release();
            p.written().tryFailure(new IllegalStateException("response closed"));
        }
    }
}
