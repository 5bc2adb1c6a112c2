package io.jwtgate.core.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;

/**
 * Reads from the server's own first flight what the JDK's engine does not tell ({@code $ssl_curve},
 * {@code $ssl_session_reused}): the group the handshake agreed (the TLS 1.3 ServerHello's {@code key_share}, the
 * TLS 1.2 ServerKeyExchange's named curve), kept with the session, and whether the handshake resumed a session (a TLS
 * 1.3 ServerHello with {@code pre_shared_key}, a TLS 1.2 ServerHello with no Certificate after it). Sits between the
 * socket and the SslHandler, copies the plain-text handshake records it needs and leaves the pipeline once it knows.
 */
final class ServerFlight extends ChannelOutboundHandlerAdapter {

    /**
     * The session value that holds the agreed group's code: kept with the session, so that a TLS 1.2 session
     * resumed without a key exchange still shows the group it was made with, as in OpenSSL.
     */
    static final String GROUP = "io.jwtgate.tls.group";
    /** Whether the connection's handshake resumed a session. */
    static final AttributeKey<Boolean> RESUMED = AttributeKey.valueOf(ServerFlight.class, "resumed");

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HANDSHAKE = 22;
    private static final int SERVER_HELLO = 2;
    private static final int NEW_SESSION_TICKET = 4;
    private static final int CERTIFICATE = 11;
    private static final int SERVER_KEY_EXCHANGE = 12;
    private static final int CERTIFICATE_STATUS = 22;
    private static final int PRE_SHARED_KEY = 41;
    private static final int SUPPORTED_VERSIONS = 43;
    private static final int KEY_SHARE = 51;
    private static final int NAMED_CURVE = 3;
    private static final int TLS13 = 0x0304;
    /** A HelloRetryRequest's random (RFC 8446 4.1.3): a ServerHello that is not yet the answer. */
    private static final byte[] RETRY = ByteBufUtil.decodeHexDump(
            "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
    /** More than a first flight with a long certificate chain: past it, give up. */
    private static final int MAX_BYTES = 64 * 1024;

    /** The records not yet complete. */
    private final ByteBuf records = Unpooled.buffer();
    /** The handshake messages of the records so far. */
    private final ByteBuf messages = Unpooled.buffer();
    /** A TLS 1.2 ServerHello was read: what follows it tells a full handshake from a resumed one. */
    private boolean tls12;

    /** What a ServerHello says: its {@code key_share} group (or -1), whether TLS 1.3, whether it took a PSK. */
    private record Hello(int group, boolean tls13, boolean psk) {
    }

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
            if (type == CHANGE_CIPHER_SPEC && !tls12) {
                records.skipBytes(length); // TLS 1.3's compatibility one, after a HelloRetryRequest
                continue;
            }
            if (type != HANDSHAKE) {
                ctx.channel().attr(RESUMED).set(tls12); // TLS 1.2: the change of cipher spec right after the hello
                return true;
            }
            messages.writeBytes(records, length);
            if (messages(ctx)) {
                return true;
            }
        }
        return false;
    }

    /** Reads the complete messages so far; whether the search is over. */
    private boolean messages(ChannelHandlerContext ctx) {
        while (messages.readableBytes() >= 4) {
            int length = messages.getUnsignedMedium(messages.readerIndex() + 1);
            if (messages.readableBytes() < 4 + length) {
                return false;
            }
            int type = messages.readUnsignedByte();
            messages.skipBytes(3);
            ByteBuf body = messages.readSlice(length);
            if (type == SERVER_HELLO && !tls12) {
                Hello hello = serverHello(body);
                if (hello == null) {
                    continue; // a HelloRetryRequest: the ServerHello comes after the client's second hello
                }
                if (!hello.tls13()) {
                    tls12 = true;
                    continue;
                }
                ctx.channel().attr(RESUMED).set(hello.psk());
                keep(ctx, hello.group());
                return true;
            }
            if (tls12 && type == CERTIFICATE) {
                ctx.channel().attr(RESUMED).set(false);
            } else if (tls12 && type == NEW_SESSION_TICKET) {
                ctx.channel().attr(RESUMED).set(true); // a ticket renewed on resumption, then the change of spec
                return true;
            } else if (type == SERVER_KEY_EXCHANGE) {
                keep(ctx, body.readableBytes() >= 3 && body.getUnsignedByte(0) == NAMED_CURVE
                        ? body.getUnsignedShort(1) : -1);
                return true;
            } else if (type != CERTIFICATE_STATUS) {
                return true; // past the certificate and its status without a key exchange (RSA)
            }
        }
        return false;
    }

    /** Puts {@code group} on the session once the handshake is done; nothing for -1. */
    private static void keep(ChannelHandlerContext ctx, int group) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null && group >= 0) {
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    ssl.engine().getSession().putValue(GROUP, group);
                }
            });
        }
    }

    /** A ServerHello's extensions; {@code null} for a HelloRetryRequest. */
    private static Hello serverHello(ByteBuf hello) {
        if (hello.readableBytes() < 2 + 32 + 1) {
            return new Hello(-1, false, false);
        }
        if (ByteBufUtil.equals(hello, hello.readerIndex() + 2, Unpooled.wrappedBuffer(RETRY), 0, RETRY.length)) {
            return null;
        }
        hello.skipBytes(2 + 32);
        int skip = hello.readUnsignedByte() + 2 + 1;
        if (hello.readableBytes() < skip + 2) {
            return new Hello(-1, false, false);
        }
        hello.skipBytes(skip);
        ByteBuf extensions = hello.readSlice(Math.min(hello.readUnsignedShort(), hello.readableBytes()));
        int group = -1;
        boolean tls13 = false;
        boolean psk = false;
        while (extensions.readableBytes() >= 4) {
            int type = extensions.readUnsignedShort();
            int length = extensions.readUnsignedShort();
            if (extensions.readableBytes() < length) {
                break;
            }
            ByteBuf data = extensions.readSlice(length);
            if (type == KEY_SHARE && length >= 2) {
                group = data.getUnsignedShort(0);
            } else if (type == SUPPORTED_VERSIONS && length >= 2) {
                tls13 = data.getUnsignedShort(0) == TLS13;
            } else if (type == PRE_SHARED_KEY) {
                psk = true;
            }
        }
        return new Hello(group, tls13, psk);
    }
}
