package io.jwtgate.core.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * nginx's {@code limit_rate} as its write filter applies it (docs/configuration.md#limit_rate-limit_rate_after):
 * beyond its first {@code limit_rate_after} bytes, a response may have sent {@code rate} bytes for each second since
 * its request began and one more (seconds as nginx's clock counts them, whole); a write of {@code n} such bytes is
 * followed by a pause of {@code n / rate} seconds. What may not go yet is held here and written from a timer on the
 * event loop, never blocking it; the writes' futures complete only once written, so a proxied body is read from its
 * upstream at the rate too. Between the response encoder and the byte count; added to a connection by its first
 * limited response and left there, passing through the responses without a limit. One per channel, used on its event
 * loop.
 */
final class RateLimit extends ChannelDuplexHandler {

    /** A message held back; of a file segment, {@code done} bytes were written on as parts. */
    private static final class Held {
        final Object msg;
        final ChannelPromise promise;
        long done;

        Held(Object msg, ChannelPromise promise) {
            this.msg = msg;
            this.promise = promise;
        }
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private long rate;
    private long after;
    private long startSec;
    /** Bytes of this response written on so far. */
    private long sent;
    private boolean delayed;
    private ScheduledFuture<?> timer;

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /**
     * The response that starts now goes out at {@code rate} bytes per second (0: unlimited) after its first
     * {@code after} bytes; its request began in the wall-clock second {@code startSec}.
     */
    void start(long bytesPerSecond, long afterBytes, long requestStartSec) {
        rate = bytesPerSecond;
        after = afterBytes;
        startSec = requestStartSec;
        sent = 0;
    }

    @Override
    public void write(ChannelHandlerContext c, Object msg, ChannelPromise promise) {
        if (rate == 0 && held.isEmpty()) {
            c.write(msg, promise);
            return;
        }
        held.add(new Held(msg, promise));
    }

    @Override
    public void flush(ChannelHandlerContext c) {
        if (rate == 0 && held.isEmpty()) {
            c.flush();
        } else if (!delayed) {
            send();
        }
    }

    /** Writes what the rate allows now, then waits as long as nginx would before the next write. */
    private void send() {
        delayed = false;
        timer = null;
        if (held.isEmpty()) {
            return;
        }
        if (rate == 0) {
            while (!held.isEmpty()) {
                writeRest(held.poll());
            }
            ctx.flush();
            return;
        }
        long limit = rate * (System.currentTimeMillis() / 1000 - startSec + 1) - (sent - after);
        if (limit <= 0) {
            delay(-limit * 1000 / rate + 1);
            return;
        }
        long before = sent;
        while (!held.isEmpty() && (limit > 0 || size(held.peek()) == 0)) {
            Held h = held.peek();
            long n = size(h);
            if (n > limit && writePart(h, limit)) {
                sent += limit;
                break;
            }
            held.poll();
            writeRest(h);
            sent += n;
            limit -= n;
        }
        ctx.flush();
        long pause = (Math.max(0, sent - after) - Math.max(0, before - after)) * 1000 / rate;
        if (pause > 0) {
            delay(pause);
        } else if (!held.isEmpty()) {
            delayed = true;
            ctx.executor().execute(this::send); // as nginx's next event loop iteration
        }
    }

    private void delay(long ms) {
        delayed = true;
        timer = ctx.executor().schedule(this::send, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes the first {@code n} bytes of what {@code h} holds, as nginx's send with a limit; the rest stays, with
     * the write's promise. Whether it could ({@code false}: a message that cannot be split, written whole).
     */
    private boolean writePart(Held h, long n) {
        if (h.msg instanceof ByteBuf b) {
            ctx.write(b.readRetainedSlice((int) n));
        } else if (h.msg instanceof FileSegment f) {
            ctx.write(f.part(h.done, n));
            h.done += n;
        } else {
            return false;
        }
        return true;
    }

    /** Writes the rest of what {@code h} holds, with its promise. */
    private void writeRest(Held h) {
        if (h.done > 0 && h.msg instanceof FileSegment f) {
            ctx.write(f.part(h.done, f.count() - h.done), h.promise);
            f.release();
        } else {
            ctx.write(h.msg, h.promise);
        }
    }

    private static long size(Held h) {
        if (h.msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        return h.msg instanceof FileRegion f ? f.count() - f.transferred() - h.done : 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        for (Held h = held.poll(); h != null; h = held.poll()) {
            ReferenceCountUtil.release(h.msg);
            h.promise.tryFailure(new ClosedChannelException());
        }
        c.fireChannelInactive();
    }
}
