package io.jwtgate.proxy;

import io.jwtgate.core.http.Transport;
import io.jwtgate.proxy.resolve.ResolveFailure;
import io.jwtgate.proxy.resolve.Resolver;
import io.jwtgate.proxy.resolve.ResolverConf;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code server name resolve} lines of an upstream block (nginx 1.27.3's, in a block with a {@code zone}): their
 * names are resolved at run time and the group's peers follow the answers. An answer is asked for again at most once
 * a second, through the resolver's cache, so a change is seen within a second of the end of its TTL (or
 * {@code valid=}), as nginx's timer sees it. As nginx: NXDOMAIN or an empty answer removes the name's addresses,
 * another failure keeps them and is retried after {@code resolver_timeout} (at least a second), each failure is
 * logged ({@code <name> could not be resolved (3: Host not found)}).
 *
 * <p>Re-resolution is started by the requests to the group, on their event loop, and only the requests that come
 * before the first answer wait for it; later ones use the peers in force while a newer answer is on its way. Thread
 * safe: requests of every loop use it.
 */
final class UpstreamResolution {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One {@code server name[:port] resolve ...} line: the name, its port, the address as written, the parameters. */
    record Server(String host, int port, String server, ServerParams params) {
    }

    private final UpstreamGroup group;
    private final List<Peer> fixedPrimary;
    private final List<Peer> fixedBackup;
    private final List<Server> servers;
    private final Resolver resolver;
    private final long timeoutMs;

    /** The addresses of each server's name, by index; guarded by {@code this}, as are the fields below. */
    private final List<List<InetAddress>> addresses = new ArrayList<>();
    private final List<Runnable> waiting = new ArrayList<>();
    private boolean resolving;
    private int pending;
    private boolean answered;
    private boolean retryLater;
    private long nextCheck = System.nanoTime();
    private Peer[] primary = new Peer[0];
    private Peer[] backup = new Peer[0];

    /** The {@code server ... resolve} lines, in order. */
    List<Server> servers() {
        return servers;
    }

    UpstreamResolution(UpstreamGroup group, List<Peer> fixedPrimary, List<Peer> fixedBackup, List<Server> servers,
            ResolverConf resolver) {
        this.group = group;
        this.fixedPrimary = List.copyOf(fixedPrimary);
        this.fixedBackup = List.copyOf(fixedBackup);
        this.servers = List.copyOf(servers);
        this.resolver = resolver.resolver();
        this.timeoutMs = resolver.timeoutMs();
        for (int i = 0; i < servers.size(); i++) {
            addresses.add(List.of());
        }
    }

    /**
     * Runs {@code go} on {@code loop} once the group's peers are known, at once unless no answer has come yet;
     * starts a resolution when one is due. Call on {@code loop}.
     */
    void ready(EventLoop loop, Transport transport, Runnable go) {
        boolean start;
        boolean wait;
        synchronized (this) {
            start = !resolving && System.nanoTime() - nextCheck >= 0;
            if (start) {
                resolving = true;
                pending = servers.size();
                retryLater = false;
            }
            wait = !answered;
            if (wait) {
                waiting.add(() -> loop.execute(go));
            }
        }
        if (start) {
            for (int i = 0; i < servers.size(); i++) {
                resolve(loop, transport, i);
            }
        }
        if (!wait) {
            go.run();
        }
    }

    private void resolve(EventLoop loop, Transport transport, int index) {
        String host = servers.get(index).host();
        resolver.resolve(loop, transport, host, timeoutMs, new Resolver.Answer() {
            @Override
            public void resolved(List<InetAddress> found) {
                // in one order whatever the resolver's turn, so that an unchanged answer changes no peer
                done(index, found.stream().sorted(Comparator.comparing(InetAddress::getHostAddress)).toList(), false);
            }

            @Override
            public void failed(ResolveFailure failure) {
                log.error("{} could not be resolved {}", host, failure);
                boolean gone = failure.code() == ResolveFailure.NOT_FOUND.code();
                done(index, gone ? List.of() : null, !gone);
            }
        });
    }

    /** One name's answer: its addresses, or {@code null} to keep the ones it had. */
    private void done(int index, List<InetAddress> found, boolean failed) {
        List<Runnable> run;
        synchronized (this) {
            if (found != null) {
                addresses.set(index, found);
            }
            retryLater |= failed;
            if (--pending > 0) {
                return;
            }
            resolving = false;
            answered = true;
            nextCheck = System.nanoTime() + (retryLater
                    ? Math.max(RECHECK_NANOS, TimeUnit.MILLISECONDS.toNanos(timeoutMs)) : RECHECK_NANOS);
            Peer[] p = peers(false);
            Peer[] b = peers(true);
            if (!Arrays.equals(p, primary) || !Arrays.equals(b, backup)) {
                primary = p;
                backup = b;
                group.replacePeers(p, b); // only on a change: the balancer keeps its failure counts till then
            }
            run = List.copyOf(waiting);
            waiting.clear();
        }
        run.forEach(Runnable::run);
    }

    /** The fixed peers of a tier, then the addresses of its resolved servers, in the order of their lines. */
    private Peer[] peers(boolean backup) {
        List<Peer> out = new ArrayList<>(backup ? fixedBackup : fixedPrimary);
        for (int i = 0; i < servers.size(); i++) {
            Server s = servers.get(i);
            if (s.params().backup() != backup) {
                continue;
            }
            for (InetAddress a : addresses.get(i)) {
                if (out.size() == Upstreams.MAX_PEERS) {
                    break;
                }
                out.add(Peer.of(new InetSocketAddress(Upstreams.plain(a), s.port()), s.server(), s.params()));
            }
        }
        return out.toArray(new Peer[0]);
    }
}
