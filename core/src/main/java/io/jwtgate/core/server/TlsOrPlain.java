package io.jwtgate.core.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.function.Supplier;

/**
 * First on a TLS port: looks at the first record header and puts the TLS handler in its place, or, when the client
 * speaks plain HTTP, steps aside and tells the connection, which answers its request as nginx does (400 with the
 * "plain HTTP request was sent to HTTPS port" page, its code 497) instead of a failed handshake.
 */
final class TlsOrPlain extends ByteToMessageDecoder {

    /** Bytes of a TLS record header, enough to tell. */
    private static final int RECORD_HEADER = 5;

    private final Supplier<ChannelHandler> tls;

    TlsOrPlain(Supplier<ChannelHandler> tls) {
        this.tls = tls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < RECORD_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            // the bytes read so far go on to the TLS handler as the replaced decoder hands them over
            ctx.pipeline().replace(this, "tls", tls.get());
        } else {
            ctx.pipeline().get(HttpConnection.class).plainOnTlsPort();
            ctx.pipeline().remove(this);
        }
    }
}
