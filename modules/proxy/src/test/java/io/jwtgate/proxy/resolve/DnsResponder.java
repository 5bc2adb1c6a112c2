package io.jwtgate.proxy.resolve;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on {@code 127.0.0.1} (UDP and TCP on one port) whose answers the test sets per name: addresses with a
 * TTL, NXDOMAIN, an answer without addresses, a server failure, an answer truncated over UDP (whole over TCP), or
 * silence. Counts the queries per name and transport. A name without a rule gets NXDOMAIN.
 */
final class DnsResponder implements AutoCloseable {

    enum Kind { ADDRESSES, NXDOMAIN, EMPTY, SERVFAIL, TRUNCATED, SILENT }

    private record Rule(Kind kind, int ttl, List<InetAddress> addresses) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> udpQueries = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> tcpQueries = new ConcurrentHashMap<>();
    private final Channel udp;
    private final Channel tcp;

    private DnsResponder() throws InterruptedException {
        Channel[] bound = bindBoth();
        udp = bound[0];
        tcp = bound[1];
    }

    /**
     * UDP on a free port and TCP on the same number. A number some TCP socket holds (one in TIME_WAIT after a load
     * run) is given up for the next free UDP port.
     */
    private Channel[] bindBoth() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Channel u = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<NioDatagramChannel>() {
                        @Override
                        protected void initChannel(NioDatagramChannel ch) {
                            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                    new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
                                            answerUdp(ctx, q);
                                        }
                                    });
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) u.localAddress()).getPort();
            ChannelFuture t = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                                    new SimpleChannelInboundHandler<DnsQuery>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery q) {
                                            answerTcp(ctx, q);
                                        }
                                    });
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port)).await();
            if (t.isSuccess()) {
                return new Channel[] {u, t.channel()};
            }
            u.close().sync();
            if (attempt == 20) {
                throw new IllegalStateException("no port number free for both UDP and TCP", t.cause());
            }
        }
    }

    static DnsResponder start() throws InterruptedException {
        return new DnsResponder();
    }

    int port() {
        return ((InetSocketAddress) udp.localAddress()).getPort();
    }

    /** {@code name} has these IPv4 addresses, for {@code ttl} seconds; no IPv6 address. */
    void answer(String name, int ttl, String... addresses) {
        rules.put(key(name), new Rule(Kind.ADDRESSES, ttl, parse(addresses)));
    }

    /** As {@link #answer}, but a UDP answer comes truncated, without records; TCP gets it whole. */
    void truncated(String name, int ttl, String... addresses) {
        rules.put(key(name), new Rule(Kind.TRUNCATED, ttl, parse(addresses)));
    }

    /** {@code name} gets NXDOMAIN, an answer without records, a server failure or no answer at all. */
    void answer(String name, Kind kind) {
        rules.put(key(name), new Rule(kind, 0, List.of()));
    }

    /** The A queries for {@code name} that came over UDP. */
    int udpQueries(String name) {
        return udpQueries.getOrDefault(key(name), new AtomicInteger()).get();
    }

    /** The A queries for {@code name} that came over TCP. */
    int tcpQueries(String name) {
        return tcpQueries.getOrDefault(key(name), new AtomicInteger()).get();
    }

    private void answerUdp(ChannelHandlerContext ctx, DatagramDnsQuery q) {
        DnsQuestion question = q.recordAt(DnsSection.QUESTION);
        Rule rule = count(udpQueries, question);
        if (rule.kind == Kind.SILENT) {
            return;
        }
        DatagramDnsResponse r = new DatagramDnsResponse(q.recipient(), q.sender(), q.id());
        if (rule.kind == Kind.TRUNCATED) {
            r.setTruncated(true);
            r.addRecord(DnsSection.QUESTION, question);
        } else {
            fill(r, question, rule);
        }
        ctx.writeAndFlush(r);
    }

    private void answerTcp(ChannelHandlerContext ctx, DnsQuery q) {
        DnsQuestion question = q.recordAt(DnsSection.QUESTION);
        Rule rule = count(tcpQueries, question);
        if (rule.kind == Kind.SILENT) {
            return;
        }
        DefaultDnsResponse r = new DefaultDnsResponse(q.id());
        fill(r, question, rule);
        ctx.writeAndFlush(r);
    }

    private Rule count(Map<String, AtomicInteger> counts, DnsQuestion question) {
        String name = key(question.name());
        if (question.type() == DnsRecordType.A) {
            counts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        }
        return rules.getOrDefault(name, new Rule(Kind.NXDOMAIN, 0, List.of()));
    }

    private static void fill(DnsResponse r, DnsQuestion question, Rule rule) {
        r.setRecursionAvailable(true);
        r.addRecord(DnsSection.QUESTION, question);
        switch (rule.kind) {
            case NXDOMAIN -> r.setCode(DnsResponseCode.NXDOMAIN);
            case SERVFAIL -> r.setCode(DnsResponseCode.SERVFAIL);
            case ADDRESSES, TRUNCATED -> {
                if (question.type() == DnsRecordType.A) {
                    for (InetAddress a : rule.addresses) {
                        r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A,
                                rule.ttl, Unpooled.wrappedBuffer(a.getAddress())));
                    }
                }
            }
            default -> {
                // EMPTY: NOERROR without records
            }
        }
    }

    private static String key(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }

    private static List<InetAddress> parse(String... addresses) {
        try {
            InetAddress[] out = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                out[i] = InetAddress.getByName(addresses[i]); // literals only: no lookup
            }
            return List.of(out);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        udp.close().sync();
        tcp.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
