package io.jwtgate.core.server;

import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a {@code listen ... proxy_protocol} address, first in the pipeline (before {@link ReadActivity}, as the header
 * is no request in progress, and before TLS): takes the connection's first read (every buffer up to its
 * read-complete), reads the PROXY protocol header from its start ({@link ProxyProtocolHeader}), gives the addresses
 * to the connection, passes the bytes after the header on and leaves the pipeline. A broken header closes the
 * connection after one error line, as nginx does. The connection's header timeout, armed when it became active, runs
 * meanwhile. One instance per channel.
 */
final class ProxyProtocolReader extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final int readLimit;
    private final Consumer<ProxyProtocolAddresses> addresses;
    private final String listening;
    private ByteBuf first;

    /**
     * @param tls whether TLS follows: nginx then looks at no more than {@link ProxyProtocolHeader#TLS_READ_LIMIT}
     * @param addresses given what the header said, or {@code null} when it gave no addresses
     * @param listening the listening socket as the error line names it ({@code 0.0.0.0:80})
     */
    ProxyProtocolReader(boolean tls, Consumer<ProxyProtocolAddresses> addresses, String listening) {
        this.readLimit = tls ? ProxyProtocolHeader.TLS_READ_LIMIT : ProxyProtocolHeader.PLAIN_READ_LIMIT;
        this.addresses = addresses;
        this.listening = listening;
    }

    /** Takes ownership of {@code msg}, a {@link ByteBuf}: it is kept until the read completes. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        first = first == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), first, in);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ByteBuf in = first;
        first = null;
        if (in == null) {
            ctx.fireChannelReadComplete(); // a read that brought nothing: the connection asks again
            return;
        }
        byte[] head = new byte[Math.min(in.readableBytes(), readLimit)];
        in.getBytes(in.readerIndex(), head);
        ProxyProtocolHeader.Outcome outcome = ProxyProtocolHeader.read(head);
        if (outcome instanceof ProxyProtocolHeader.Broken broken) {
            in.release();
            // nginx's context for a connection without a request: the client and the listening socket
            log.error("{} while reading PROXY protocol, client: {}, server: {}", broken.message(),
                    ErrorContext.client(ctx.channel().remoteAddress()), listening);
            ctx.close();
            return;
        }
        ProxyProtocolHeader.Header header = (ProxyProtocolHeader.Header) outcome;
        addresses.accept(header.addresses());
        in.skipBytes(header.length());
        ctx.pipeline().remove(this);
        if (in.isReadable()) {
            ctx.fireChannelRead(in);
        } else {
            in.release();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (first != null) {
            first.release();
            first = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
