package io.jwtgate.core.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * nginx's {@code send_timeout}: when a flush leaves bytes the socket could not take, and the client takes none of
 * them for the timeout, the connection is given up. The time runs between two successive writes that make progress,
 * not for the whole response (docs/configuration.md#send_timeout). First in the pipeline, so it sees what the socket
 * holds back; one instance per channel, used on its event loop only.
 */
final class SendTimeout extends ChannelDuplexHandler {

    private final Runnable expired;
    private long timeoutMs = 60_000;
    private ScheduledFuture<?> task;
    /** The message being written when the task was scheduled, and how far: no change by then means no progress. */
    private Object current;
    private long progress;

    /** @param expired called on the event loop when the client took nothing for the timeout */
    SendTimeout(Runnable expired) {
        this.expired = expired;
    }

    /** The {@code send_timeout} of the location the request in progress is in. */
    void timeoutMs(long ms) {
        timeoutMs = ms;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
        if (task == null && timeoutMs > 0 && pendingBytes(ctx) > 0) {
            watch(ctx);
        }
    }

    private void watch(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buf = ctx.channel().unsafe().outboundBuffer();
        current = buf.current();
        progress = buf.currentProgress();
        task = ctx.executor().schedule(() -> check(ctx), timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        task = null;
        ChannelOutboundBuffer buf = ctx.channel().unsafe().outboundBuffer();
        if (buf == null || buf.totalPendingWriteBytes() == 0 || !ctx.channel().isActive()) {
            return; // all went out; the next flush that leaves bytes watches again
        }
        if (buf.current() == current && buf.currentProgress() == progress) {
            expired.run();
            return;
        }
        watch(ctx);
    }

    private static long pendingBytes(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buf = ctx.channel().unsafe().outboundBuffer();
        return buf == null ? 0 : buf.totalPendingWriteBytes();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        ctx.fireChannelInactive();
    }
}
