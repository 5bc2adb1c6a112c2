package io.jwtgate.core.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;

/**
 * Reads the group the handshake agreed from the server's own first flight, which the JDK's engine does not tell
 * ({@code $ssl_curve}), and keeps it with the session: the TLS 1.3 ServerHello's {@code key_share}, the TLS 1.2
 * ServerKeyExchange's named curve. Sits between the socket and the SslHandler, copies the plain-text handshake records
 * it needs and leaves the pipeline once it has the group or the handshake goes on encrypted or without one (a resumed
 * session, a DHE suite).
 */
final class AgreedGroup extends ChannelOutboundHandlerAdapter {

    /**
     * The session value that holds the agreed group's code: kept with the session, so that a TLS 1.2 session
     * resumed without a key exchange still shows the group it was made with, as in OpenSSL.
     */
    static final String GROUP = "io.jwtgate.tls.group";

    private static final int HANDSHAKE = 22;
    private static final int SERVER_HELLO = 2;
    private static final int CERTIFICATE = 11;
    private static final int SERVER_KEY_EXCHANGE = 12;
    private static final int CERTIFICATE_STATUS = 22;
    private static final int KEY_SHARE = 51;
    private static final int NAMED_CURVE = 3;
    /** More than a first flight with a long certificate chain: past it, give up. */
    private static final int MAX_BYTES = 64 * 1024;

    /** The records not yet complete. */
    private final ByteBuf records = Unpooled.buffer();
    /** The handshake messages of the records so far. */
    private final ByteBuf messages = Unpooled.buffer();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        boolean done = msg instanceof ByteBuf b && b.isReadable() && read(ctx, b);
        ctx.write(msg, promise);
        if (done) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        records.release();
        messages.release();
    }

    /** Takes in what the server writes; whether the search is over. */
    private boolean read(ChannelHandlerContext ctx, ByteBuf out) {
        if (records.writerIndex() + out.readableBytes() > MAX_BYTES) {
            return true;
        }
        records.writeBytes(out, out.readerIndex(), out.readableBytes());
        while (records.readableBytes() >= 5) {
            int length = records.getUnsignedShort(records.readerIndex() + 3);
            if (records.readableBytes() < 5 + length) {
                return false;
            }
            int type = records.readUnsignedByte();
            records.skipBytes(4);
            if (type != HANDSHAKE) {
                return true; // a change of cipher spec, an alert, encrypted records: no key exchange to read any more
            }
            messages.writeBytes(records, length);
            Integer group = group();
            if (group != null) {
                if (group >= 0) {
                    keep(ctx, group);
                }
                return true;
            }
        }
        return false;
    }

    /** Puts {@code group} on the session once the handshake is done. */
    private static void keep(ChannelHandlerContext ctx, int group) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null) {
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    ssl.engine().getSession().putValue(GROUP, group);
                }
            });
        }
    }

    /** The group from the complete messages so far: a code, -1 when the handshake has none, null when unknown yet. */
    private Integer group() {
        while (messages.readableBytes() >= 4) {
            int length = messages.getUnsignedMedium(messages.readerIndex() + 1);
            if (messages.readableBytes() < 4 + length) {
                return null;
            }
            int type = messages.readUnsignedByte();
            messages.skipBytes(3);
            ByteBuf body = messages.readSlice(length);
            if (type == SERVER_HELLO) {
                int group = keyShare(body);
                if (group >= 0) {
                    return group; // TLS 1.3 (a HelloRetryRequest names the same group its ServerHello will)
                }
            } else if (type == SERVER_KEY_EXCHANGE) {
                return body.readableBytes() >= 3 && body.getUnsignedByte(0) == NAMED_CURVE
                        ? body.getUnsignedShort(1) : -1;
            } else if (type != CERTIFICATE && type != CERTIFICATE_STATUS) {
                return -1; // past the certificate and its status without a key exchange
            }
        }
        return null;
    }

    /** The group of a ServerHello's {@code key_share}, or -1 without one (TLS 1.2). */
    private static int keyShare(ByteBuf hello) {
        if (hello.readableBytes() < 2 + 32 + 1) {
            return -1;
        }
        hello.skipBytes(2 + 32);
        int skip = hello.readUnsignedByte() + 2 + 1;
        if (hello.readableBytes() < skip + 2) {
            return -1;
        }
        hello.skipBytes(skip);
        ByteBuf extensions = hello.readSlice(Math.min(hello.readUnsignedShort(), hello.readableBytes()));
        while (extensions.readableBytes() >= 4) {
            int type = extensions.readUnsignedShort();
            int length = extensions.readUnsignedShort();
            if (extensions.readableBytes() < length) {
                return -1;
            }
            if (type == KEY_SHARE && length >= 2) {
                return extensions.getUnsignedShort(extensions.readerIndex());
            }
            extensions.skipBytes(length);
        }
        return -1;
    }
}
