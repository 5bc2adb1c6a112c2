package io.jwtgate.core.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.netty.util.concurrent.Future;
import java.util.Map;

/**
 * TLS for one listening socket: the certificate of each server on it, chosen by the SNI name the client sends, the
 * default server's when it sends none or an unknown one (as nginx does).
 */
public final class ServerTls {

    private final Mapping<String, SslContext> byName;

    /**
     * @param defaultContext the default server's context
     * @param byName contexts by exact or {@code *.}-wildcard server name
     */
    public ServerTls(SslContext defaultContext, Map<String, SslContext> byName) {
        DomainWildcardMappingBuilder<SslContext> b = new DomainWildcardMappingBuilder<>(defaultContext);
        byName.forEach(b::add);
        this.byName = b.build();
    }

    /**
     * The first handler of a new connection's pipeline; it keeps what the ClientHello offered for {@link ClientTls},
     * puts a {@link ServerFlight} before itself, and replaces itself with the chosen SslHandler.
     */
    public ChannelHandler newHandler() {
        return new SniHandler(byName) {
            @Override
            protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
                if (clientHello != null) {
                    ctx.channel().attr(ClientTls.HELLO).set(ClientHello.parse(clientHello));
                    ctx.pipeline().addBefore(ctx.name(), null, new ServerFlight());
                }
                return super.lookup(ctx, clientHello);
            }
        };
    }
}
