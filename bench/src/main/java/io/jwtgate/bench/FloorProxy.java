package io.jwtgate.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A measuring stick for {@code bench/e2e.sh -m floor}, not a proxy: the least a proxy on Netty's epoll transport
 * does for a request with a known token, on one event loop as jwtgate runs with {@code worker_processes 1}. It takes
 * the token from {@code Authorization} and compares it with the one it knows (jwtgate's verified-token cache hit, a
 * hash lookup and the time checks, costs about 0.1 µs), sends the head upstream with {@code Host} and
 * {@code Connection} replaced and {@code X-User-Id} added, and passes the response back with its {@code Server} and
 * {@code Connection} replaced. Every upstream connection is kept for the next request (there are never more than
 * the client connections), as nginx and jwtgate do with {@code keepalive} above the number of clients,
 * {@code bench/e2e.sh}'s default; capped at 32 idle under 50 clients, this proxy reopened a connection for 20% of
 * requests, about as often as nginx (19%), which cost it more than its codec did. Two ways to find the messages:
 * <ul>
 *   <li>{@code raw}: scanning the bytes for the end of the head and {@code Content-Length}: what the JVM and the
 *       transport cost;</li>
 *   <li>{@code codec}: Netty's HTTP/1 decoders and response encoder, the ones jwtgate extends.</li>
 * </ul>
 * Neither does what makes jwtgate a gateway (request checks, URI normalisation, server and location selection,
 * phases, variables, limits, timeouts, back-pressure, nginx's response headers): their distance to nginx is the room
 * that work has. Usage: {@code java -cp bench/target/benchmarks.jar io.jwtgate.bench.FloorProxy raw|codec <port>
 * <backend port> <token>}.
 */
public final class FloorProxy {

    private static final String SUB = "user-1";
    private static final ByteBuf END_OF_HEAD = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("\r\n\r\n", CharsetUtil.US_ASCII));
    private static final byte[] UNAUTHORIZED =
            "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".getBytes(CharsetUtil.US_ASCII);

    private final String bearer;
    private final ArrayDeque<Upstream> idle = new ArrayDeque<>();
    private Bootstrap upstream;

    private FloorProxy(String token) {
        this.bearer = "Bearer " + token;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4 || !args[0].equals("raw") && !args[0].equals("codec")) {
            System.err.println("usage: FloorProxy raw|codec <port> <backend port> <token>");
            System.exit(2);
        }
        boolean codec = args[0].equals("codec");
        FloorProxy p = new FloorProxy(args[3]);
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        p.upstream = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2])))
                .handler(initializer(pl -> {
                    if (codec) {
                        pl.addLast(new HttpResponseDecoder());
                    }
                    pl.addLast(p.new Upstream());
                }));
        new ServerBootstrap().group(loop).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer(pl -> {
                    if (codec) {
                        pl.addLast(new HttpRequestDecoder(), new HttpResponseEncoder());
                    }
                    pl.addLast(p.new Client());
                }))
                .bind("127.0.0.1", Integer.parseInt(args[1])).sync().channel().closeFuture().sync();
    }

    private static ChannelInitializer<Channel> initializer(Consumer<ChannelPipeline> handlers) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                handlers.accept(ch.pipeline());
            }
        };
    }

    /** The subject of an {@code Authorization} value that is {@code Bearer} and the known token, or null. */
    private String sub(CharSequence authorization) {
        return authorization != null && authorization.toString().equals(bearer) ? SUB : null;
    }

    private void forward(Channel client, ByteBuf head) {
        Upstream up = idle.pollLast();
        if (up != null) {
            up.send(client, head);
            return;
        }
        upstream.connect().addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                f.channel().pipeline().get(Upstream.class).send(client, head);
            } else {
                head.release();
                client.close();
            }
        });
    }

    /** {@code in} appended to what arrived before it, if anything did. */
    private static ByteBuf cumulate(ByteBuf kept, ByteBuf in) {
        if (kept != null) {
            kept.writeBytes(in);
            in.release();
            return kept;
        }
        return in;
    }

    /** The index just past the head's empty line, or -1 while the head is incomplete. */
    private static int headEnd(ByteBuf b) {
        int i = ByteBufUtil.indexOf(END_OF_HEAD, b);
        return i < 0 ? -1 : i + 4;
    }

    /** The client side: finds the request head (with the codec, or in the bytes) and forwards it. */
    private final class Client extends ChannelInboundHandlerAdapter {
        private ByteBuf kept;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                onHead(ctx, req);
            } else if (msg instanceof ByteBuf in) {
                onBytes(ctx, cumulate(kept, in));
            } else {
                ReferenceCountUtil.release(msg); // the empty end of a request without a body
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (kept != null) {
                kept.release();
            }
        }

        private void onHead(ChannelHandlerContext ctx, HttpRequest req) {
            if (sub(req.headers().get(HttpHeaderNames.AUTHORIZATION)) == null) {
                HttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED);
                HttpUtil.setContentLength(r, 0);
                ctx.writeAndFlush(r);
                return;
            }
            ByteBuf out = ctx.alloc().directBuffer(512);
            out.writeCharSequence(req.method().name(), CharsetUtil.US_ASCII);
            out.writeByte(' ');
            out.writeCharSequence(req.uri(), CharsetUtil.ISO_8859_1);
            out.writeCharSequence(" HTTP/1.1\r\n", CharsetUtil.US_ASCII);
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = req.headers().iteratorCharSequence();
                    it.hasNext();) {
                Map.Entry<CharSequence, CharSequence> e = it.next();
                line(out, e.getKey(), e.getValue());
            }
            forward(ctx.channel(), endRequest(out));
        }

        private void onBytes(ChannelHandlerContext ctx, ByteBuf in) {
            int end = headEnd(in);
            if (end < 0) {
                kept = in;
                return;
            }
            kept = null;
            String head = in.toString(in.readerIndex(), end - in.readerIndex(), CharsetUtil.ISO_8859_1);
            in.release(); // a floor: pipelined bytes after the head are not kept
            int p = head.indexOf("\r\n") + 2;
            ByteBuf out = ctx.alloc().directBuffer(512);
            out.writeCharSequence(head.subSequence(0, p), CharsetUtil.ISO_8859_1);
            String authorization = null;
            for (int e; (e = head.indexOf("\r\n", p)) > p; p = e + 2) {
                int colon = head.indexOf(':', p);
                String name = head.substring(p, colon);
                String value = head.substring(colon + 1, e).trim();
                if (name.equalsIgnoreCase("authorization")) {
                    authorization = value;
                }
                line(out, name, value);
            }
            if (sub(authorization) == null) {
                out.release();
                ctx.writeAndFlush(Unpooled.wrappedBuffer(UNAUTHORIZED));
                return;
            }
            forward(ctx.channel(), endRequest(out));
        }

        private void line(ByteBuf out, CharSequence name, CharSequence value) {
            if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)
                    || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)) {
                return;
            }
            out.writeCharSequence(name, CharsetUtil.ISO_8859_1);
            out.writeShort(':' << 8 | ' ');
            out.writeCharSequence(value, CharsetUtil.ISO_8859_1);
            out.writeShort('\r' << 8 | '\n');
        }

        private ByteBuf endRequest(ByteBuf out) {
            out.writeCharSequence("Host: backend\r\nX-User-Id: " + SUB + "\r\n\r\n", CharsetUtil.US_ASCII);
            return out;
        }
    }

    /** The upstream side: finds the response's end (with the codec, or by its Content-Length) and passes it on. */
    private final class Upstream extends ChannelInboundHandlerAdapter {
        private Channel client;
        private Channel channel;
        private ByteBuf kept;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel(); // before the connect listener runs, which channelActive is not
        }

        void send(Channel client, ByteBuf head) {
            this.client = client;
            channel.writeAndFlush(head, channel.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpResponse r) {
                r.headers().set(HttpHeaderNames.SERVER, "floor").remove(HttpHeaderNames.CONNECTION);
                client.write(r, client.voidPromise());
            }
            if (msg instanceof LastHttpContent last) {
                Channel c = done();
                c.writeAndFlush(last, c.voidPromise());
            } else if (msg instanceof HttpContent c) {
                client.write(c, client.voidPromise());
            } else if (msg instanceof ByteBuf in) {
                onBytes(ctx, cumulate(kept, in));
            }
        }

        private void onBytes(ChannelHandlerContext ctx, ByteBuf in) {
            int end = headEnd(in);
            if (end >= 0) {
                String head = in.toString(in.readerIndex(), end - in.readerIndex(), CharsetUtil.ISO_8859_1);
                int length = contentLength(head);
                if (length >= 0 && in.readableBytes() >= end - in.readerIndex() + length) {
                    kept = null;
                    int p = head.indexOf("\r\n") + 2;
                    ByteBuf out = ctx.alloc().directBuffer(end - in.readerIndex() + length + 32);
                    out.writeCharSequence(head.subSequence(0, p), CharsetUtil.ISO_8859_1);
                    out.writeCharSequence("Server: floor\r\n", CharsetUtil.US_ASCII);
                    for (int e; (e = head.indexOf("\r\n", p)) > p; p = e + 2) {
                        if (!head.regionMatches(true, p, "server:", 0, 7)
                                && !head.regionMatches(true, p, "connection:", 0, 11)) {
                            out.writeCharSequence(head.subSequence(p, e + 2), CharsetUtil.ISO_8859_1);
                        }
                    }
                    out.writeCharSequence("\r\n", CharsetUtil.US_ASCII);
                    out.writeBytes(in, end, length);
                    in.release();
                    Channel c = done();
                    c.writeAndFlush(out, c.voidPromise());
                    return;
                }
            }
            kept = in;
        }

        private int contentLength(String head) {
            for (int p = head.indexOf("\r\n") + 2, e; (e = head.indexOf("\r\n", p)) > p; p = e + 2) {
                if (head.regionMatches(true, p, "content-length:", 0, 15)) {
                    return Integer.parseInt(head.substring(p + 15, e).trim());
                }
            }
            return -1;
        }

        /** The client this response goes to; this connection goes back to the pool. */
        private Channel done() {
            Channel c = client;
            client = null;
            idle.addLast(this);
            return c;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.remove(this);
            if (kept != null) {
                kept.release();
            }
        }
    }
}
