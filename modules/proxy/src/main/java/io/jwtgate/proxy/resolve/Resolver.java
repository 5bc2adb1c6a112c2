package io.jwtgate.proxy.resolve;

import io.jwtgate.core.http.Transport;
import io.jwtgate.core.module.HttpInit;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DefaultDnsCache;
import io.netty.resolver.dns.DefaultDnsCnameCache;
import io.netty.resolver.dns.DnsCache;
import io.netty.resolver.dns.DnsCnameCache;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddresses;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The resolver of one {@code resolver} directive: its name servers, {@code valid=} and {@code ipv6=}. Each event
 * loop that asks gets its own Netty {@link DnsNameResolver} (its UDP socket lives on that loop, as an nginx worker
 * has its own), all sharing one answer cache, where an answer lives for its TTL, or for {@code valid=} when set.
 * Like nginx, it sends queries without EDNS0 (so answers over 512 bytes come truncated), asks the same server again
 * over TCP when an answer is truncated, reads neither {@code /etc/hosts} nor the search domains of
 * {@code /etc/resolv.conf}, and keeps no negative answers.
 */
public final class Resolver implements HttpInit.Lifecycle {

    /** nginx's {@code resend_timeout}: a query unanswered this long goes to the next name server. */
    private static final long RESEND_TIMEOUT_MS = 5_000;

    static {
        // Netty's resolver reads /etc/resolv.conf and its defaults as its classes load (over a second on a busy
        // machine): load them with the configuration rather than on the event loop of the first request
        new DnsNameResolverBuilder();
        try {
            Class.forName(DnsNameResolver.class.getName(), true, Resolver.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer to one resolution. */
    public interface Answer {
        /** The name's addresses, at least one, in the order to try them. */
        void resolved(List<InetAddress> addresses);

        void failed(ResolveFailure failure);
    }

    private final List<InetSocketAddress> servers;
    private final boolean ipv6;
    private final DnsCache cache;
    private final DnsCnameCache cnameCache;
    private final ConcurrentHashMap<EventLoop, DnsNameResolver> resolvers = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /**
     * @param servers the name servers, at least one
     * @param validSeconds {@code valid=}: how long an answer is kept, overriding its TTL; 0 for the TTL
     * @param ipv6 {@code ipv6=on}: ask for AAAA records as well as A records
     */
    Resolver(List<InetSocketAddress> servers, int validSeconds, boolean ipv6) {
        this.servers = List.copyOf(servers);
        this.ipv6 = ipv6;
        this.cache = validSeconds > 0 ? new DefaultDnsCache(validSeconds, validSeconds, 0)
                : new DefaultDnsCache(0, Integer.MAX_VALUE, 0);
        this.cnameCache = validSeconds > 0 ? new DefaultDnsCnameCache(validSeconds, validSeconds)
                : new DefaultDnsCnameCache();
    }

    /**
     * Resolves {@code name} on {@code loop} (call on that loop) and answers there, within {@code timeoutMs}
     * ({@code resolver_timeout}; 0: no limit but the queries' own, 5 seconds for each name server). The addresses
     * come turned by random offsets, as nginx hands them out, so that requests spread over them.
     */
    public void resolve(EventLoop loop, Transport transport, String name, long timeoutMs, Answer answer) {
        DnsNameResolver r = on(loop, transport);
        Future<List<InetAddress>> f = r.resolveAll(name);
        if (f.isDone() || timeoutMs == 0) {
            // resolver_timeout 0: as nginx, no time limit beyond the queries' own
            f.addListener(done -> deliver(f, answer));
            return;
        }
        ScheduledFuture<?> timer = loop.schedule(() -> {
            // the query goes on and its answer still fills the cache, as nginx's does
            answer.failed(ResolveFailure.TIMED_OUT);
        }, timeoutMs, TimeUnit.MILLISECONDS);
        f.addListener(done -> {
            if (timer.cancel(false)) {
                deliver(f, answer);
            }
        });
    }

    private static void deliver(Future<List<InetAddress>> f, Answer answer) {
        if (!f.isSuccess()) {
            answer.failed(ResolveFailure.of(f.cause()));
            return;
        }
        List<InetAddress> all = f.getNow();
        if (all.isEmpty()) {
            answer.failed(ResolveFailure.NOT_FOUND);
            return;
        }
        answer.resolved(rotated(all));
    }

    /**
     * nginx's {@code ngx_resolver_export}: the IPv4 addresses, each family turned by a random offset, then the
     * IPv6 ones, the whole turned by a random offset.
     */
    private static List<InetAddress> rotated(List<InetAddress> all) {
        if (all.size() == 1) {
            return all;
        }
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        for (InetAddress a : all) {
            (a instanceof Inet4Address ? v4 : v6).add(a);
        }
        List<InetAddress> families = new ArrayList<>(all.size());
        families.addAll(turned(v4));
        families.addAll(turned(v6));
        return turned(families);
    }

    private static List<InetAddress> turned(List<InetAddress> list) {
        int n = list.size();
        if (n < 2) {
            return list;
        }
        int start = ThreadLocalRandom.current().nextInt(n);
        List<InetAddress> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(list.get((start + i) % n));
        }
        return out;
    }

    private DnsNameResolver on(EventLoop loop, Transport transport) {
        DnsNameResolver r = resolvers.get(loop);
        if (r == null) {
            r = resolvers.computeIfAbsent(loop, l -> build(l, transport));
            if (stopped) {
                r.close();
            }
        }
        return r;
    }

    private DnsNameResolver build(EventLoop loop, Transport transport) {
        DnsServerAddresses rotating = DnsServerAddresses.rotational(servers);
        return new DnsNameResolverBuilder(loop)
                .datagramChannelType(transport.isEpoll() ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .socketChannelType(transport.socketChannel())
                .nameServerProvider(host -> rotating.stream())
                .resolvedAddressTypes(ipv6 ? ResolvedAddressTypes.IPV4_PREFERRED : ResolvedAddressTypes.IPV4_ONLY)
                .resolveCache(cache)
                .cnameCache(cnameCache)
                .queryTimeoutMillis(RESEND_TIMEOUT_MS)
                .optResourceEnabled(false)
                .hostsFileEntriesResolver((host, types) -> null)
                .searchDomains(List.of())
                .ndots(1)
                .build();
    }

    @Override
    public void start() {
    }

    /** The configuration was replaced: close each loop's resolver (its socket) on its own loop. */
    @Override
    public void stop() {
        stopped = true;
        resolvers.forEach((loop, r) -> {
            try {
                loop.execute(r::close);
            } catch (RuntimeException e) {
                // the loop is shutting down and closes its channels anyway
            }
        });
    }

    @Override
    public String toString() {
        return "resolver " + servers;
    }
}
