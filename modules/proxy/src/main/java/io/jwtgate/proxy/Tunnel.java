package io.jwtgate.proxy;

import io.jwtgate.core.conf.Errno;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * An upgraded connection (nginx's {@code ngx_http_upstream_upgrade}): after the upstream answered 101 to a request
 * with an {@code Upgrade} header, the client's and the upstream's connections carry bytes both ways unchanged until
 * either side closes; what was read from the closing side is still delivered to the other. Each direction reads
 * its source only while its destination is writable (Netty's write buffer watermarks), one read at a time, so a
 * peer that floods one direction is slowed to the pace of the other end and the memory held stays bounded.
 *
 * <p>Timeouts, as nginx's: the tunnel closes after {@code proxy_read_timeout} without a byte read from either
 * side, and after {@code proxy_send_timeout} while the upstream takes no bytes. The upstream connection is closed
 * with the tunnel, never kept alive; its peer counts as in use until then.
 *
 * <p>Lives on the client's event loop only.
 */
final class Tunnel extends Deadlines.Entry {

    /** nginx's log action while a tunnel runs. */
    private static final String STAGE = "proxying upgraded connection";

    private final ProxyRequest r;
    private final Channel upstream;
    private final Direction fromClient = new Direction(false);
    private final Direction fromUpstream = new Direction(true);
    private final long readTimeoutNanos;
    private final long sendTimeoutNanos;
    /** The client's channel, known from when the tunnel's handler joins its pipeline. */
    private Channel client;
    private long idleDeadline;
    private long sendDeadline;
    private boolean closed;

    private Tunnel(ProxyRequest r, Channel upstream) {
        this.r = r;
        this.upstream = upstream;
        this.readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(r.conf.readTimeoutMs());
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(r.conf.sendTimeoutMs());
    }

    /**
     * Whether a 101 to {@code r} starts a tunnel: the client asked for an upgrade (nginx tunnels only then), and the
     * whole request went out (a body still streaming could not be told from the new protocol's bytes).
     */
    static boolean asked(ProxyRequest r) {
        return r.x.request().headers().contains(HttpHeaderNames.UPGRADE) && r.body.sent();
    }

    /**
     * Sends the 101 head to the client and starts tunneling; a subrequest cannot be upgraded and ends with 500, as
     * in nginx. Takes ownership of {@code head}.
     */
    static void start(ProxyRequest r, HttpResponse head) {
        Tunnel t = new Tunnel(r, r.conn.channel());
        if (r.x.upgrade(head, t.fromClient) == null) {
            ReferenceCountUtil.release(head);
            r.logError("connection upgrade in subrequest", STAGE);
            r.dropConnection();
            r.peers.free(false);
            r.finish(500);
            return;
        }
        r.upgraded();
        // as nginx, the try lasts, and counts the tunnel's bytes, until the client's side closes and is logged
        r.x.onClose(r.states::end);
        // the upstream's bytes after the 101 head, still held by its decoder, go to the client when it leaves
        t.upstream.pipeline().replace(UpstreamHandler.class, "tunnel", t.fromUpstream);
        t.upstream.pipeline().remove(UpstreamResponseDecoder.class);
        t.idleDeadline = System.nanoTime() + t.readTimeoutNanos;
        r.local.deadlines.add(t);
        t.client.read();
        t.upstream.read();
    }

    @Override
    void checkDeadlines(long now) {
        if (closed) {
            if (!client.isActive() && !upstream.isActive()) {
                r.local.deadlines.remove(this);
            } else if (now - idleDeadline >= 0) {
                client.close(); // the rest could not be delivered in time
                upstream.close();
            }
            return;
        }
        if (now - idleDeadline >= 0 || sendDeadline != 0 && now - sendDeadline >= 0) {
            r.logError("upstream timed out (110: Connection timed out)", STAGE);
            close();
            client.close();
            upstream.close();
        }
    }

    /** Ends the tunnel: each side gets what was read for it, then closes. */
    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        idleDeadline = System.nanoTime() + readTimeoutNanos; // the time left to deliver the rest
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        r.peers.free(false);
    }

    /** The system call that failed, as nginx names it: a write's error comes here from the upstream's pipeline too. */
    private static String call(Throwable cause) {
        String m = cause.getMessage();
        return m != null && (m.startsWith("write") || m.startsWith("send")) ? "send()" : "recv()";
    }

    /** One direction's reading end: the last handler of its source channel. */
    private final class Direction extends ChannelInboundHandlerAdapter {
        private final boolean isFromUpstream;
        /** Not reading because the destination is not writable. */
        private boolean paused;

        Direction(boolean isFromUpstream) {
            this.isFromUpstream = isFromUpstream;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (!isFromUpstream) {
                client = ctx.channel(); // before the first bytes the client's decoder held come through
            }
        }

        private Channel source() {
            return isFromUpstream ? upstream : client;
        }

        private Channel destination() {
            return isFromUpstream ? client : upstream;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closed || !(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg); // the empty end of the 101 from the upstream's decoder, or late bytes
                return;
            }
            idleDeadline = System.nanoTime() + readTimeoutNanos;
            destination().write(buf, destination().voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (closed) {
                return;
            }
            Channel dst = destination();
            dst.flush();
            if (dst.isWritable()) {
                source().read();
            } else if (!paused) {
                paused = true;
                if (!isFromUpstream) {
                    sendDeadline = System.nanoTime() + sendTimeoutNanos;
                }
            }
        }

        /** This direction's source is the other direction's destination: resume that one when it can take more. */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            Direction other = isFromUpstream ? fromClient : fromUpstream;
            if (ctx.channel().isWritable() && other.paused && !closed) {
                other.paused = false;
                if (!other.isFromUpstream) {
                    sendDeadline = 0;
                }
                other.source().read();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            close();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (isFromUpstream && !closed) {
                r.logError(call(cause) + " failed (" + Errno.describe(cause) + ")", STAGE);
            }
            ctx.close();
        }
    }
}
