package io.jwtgate.proxy;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import io.jwtgate.proxy.resolve.ResolverModule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * nginx's upstream module: the {@code upstream} block with {@code server}, {@code keepalive},
 * {@code keepalive_timeout}, {@code keepalive_requests}, the balancing methods and {@code zone}
 * ({@link BalancingDirectives}). The groups of a configuration live in its http-wide
 * slot ({@link Upstreams}), where the proxy module finds them; see {@code docs/proxy.md}.
 *
 * <p>A stateless definition: it holds only its slot; the blocks and groups of a load live in that load's
 * {@link Upstreams}.
 */
public final class UpstreamModule extends HttpModule {

    final MainSlot<Upstreams> main = mainSlot(MainSlot.of(Upstreams::new));
    /** The resolver of the http level, which {@code server ... resolve} uses. */
    private final MainSlot<ResolverModule.HttpLevel> resolver;

    /** With {@code resolver}'s http-level settings, for {@code server ... resolve}; register that module too. */
    public UpstreamModule(ResolverModule resolver) {
        super("upstream");
        this.resolver = resolver.httpLevel;
    }

    @Override
    public List<Directive> directives() {
        Set<Context> up = EnumSet.of(Context.UPSTREAM);
        List<Directive> all = new ArrayList<>(List.of(
                Directive.block("upstream", EnumSet.of(Context.HTTP), Arity.TAKE1, this::upstream),
                Directive.of("server", up, Arity.ONE_OR_MORE, UpstreamModule::server),
                Directive.of("keepalive", up, Arity.TAKE1, UpstreamModule::keepalive),
                Directive.of("keepalive_timeout", up, Arity.TAKE1, UpstreamModule::keepaliveTimeout),
                Directive.of("keepalive_requests", up, Arity.TAKE1, UpstreamModule::keepaliveRequests)));
        all.addAll(BalancingDirectives.directives(main));
        return all;
    }

    private void upstream(ConfContext cx, ConfDirective d) throws ConfException {
        Upstreams m = cx.main(main);
        String name = ConfValues.lower(d.arg(0));
        if (m.blocks.containsKey(name)) {
            throw d.error("duplicate upstream \"%s\"", d.arg(0));
        }
        Upstreams.Block u = new Upstreams.Block(d.arg(0), d);
        m.blocks.put(name, u);
        cx.parseBlock(d, Context.UPSTREAM, u);
        if (u.primary.isEmpty() && u.backup.isEmpty() && u.resolvable.isEmpty()) {
            throw d.error("no servers are inside upstream");
        }
    }

    private static void server(ConfContext cx, ConfDirective d) throws ConfException {
        Upstreams.Block u = cx.block(Upstreams.Block.class);
        String address = d.arg(0);
        ServerParams params = ServerParams.parse(d, d.args().subList(1, d.args().size()),
                u.balancing.allowsBackup());
        if (address.startsWith("unix:")) {
            throw d.error("unix domain sockets are not supported in upstream \"%s\"", address);
        }
        ProxyUrl url;
        try {
            url = ProxyUrl.parse("http://" + address);
        } catch (ProxyUrl.Invalid e) {
            throw d.error(e.getMessage());
        }
        if (!url.uri().isEmpty()) {
            throw d.error("invalid host in upstream \"%s\"", address);
        }
        if (params.resolve() && Upstreams.literal(url.bareHost()) == null) {
            // a name to follow at run time (nginx 1.27.3): no lookup now
            u.resolvable.add(new UpstreamResolution.Server(url.bareHost(), url.port(), address, params));
            return;
        }
        InetAddress[] addrs;
        try {
            addrs = InetAddress.getAllByName(url.bareHost());
        } catch (UnknownHostException e) {
            throw d.error("host not found in upstream \"%s\"", address);
        }
        List<Peer> list = params.backup() ? u.backup : u.primary;
        for (InetAddress a : addrs) {
            list.add(Peer.of(new InetSocketAddress(a, url.port()), address, params));
        }
        if (list.size() > Upstreams.MAX_PEERS) {
            throw d.error("too many servers in upstream \"%s\" (at most %d)", u.name, Upstreams.MAX_PEERS);
        }
    }

    private static void keepalive(ConfContext cx, ConfDirective d) throws ConfException {
        Upstreams.Block u = cx.block(Upstreams.Block.class);
        Setters.checkUnset(d, u.keepalive);
        u.keepalive = positive(d);
    }

    private static void keepaliveTimeout(ConfContext cx, ConfDirective d) throws ConfException {
        Upstreams.Block u = cx.block(Upstreams.Block.class);
        Setters.checkUnset(d, u.keepaliveTimeoutMs);
        u.keepaliveTimeoutMs = Setters.millis(d, d.arg(0));
    }

    private static void keepaliveRequests(ConfContext cx, ConfDirective d) throws ConfException {
        Upstreams.Block u = cx.block(Upstreams.Block.class);
        Setters.checkUnset(d, u.keepaliveRequests);
        u.keepaliveRequests = positive(d);
    }

    private static int positive(ConfDirective d) throws ConfException {
        int n = ConfValues.number(d.arg(0));
        if (n <= 0) {
            throw d.error("invalid value \"%s\" in \"%s\" directive", d.arg(0), d.name());
        }
        return n;
    }

    /**
     * Checks that a block with {@code server ... resolve} can have it (nginx 1.27.3's errors), builds the groups of
     * every block and has them live as long as this configuration.
     */
    @Override
    public void postconfiguration(HttpInit init) throws ConfException {
        Upstreams m = init.main(main);
        BalancingDirectives.checkZoneSizes(m.zoneSizes);
        m.runtimeResolver = init.main(resolver).conf();
        for (Upstreams.Block b : m.blocks.values()) {
            if (b.resolvable.isEmpty()) {
                continue;
            }
            if (b.zone == null) {
                throw new ConfException(String.format("resolving names at run time requires upstream \"%s\" in %s:%d "
                        + "to be in shared memory", b.name, b.where.file(), b.where.line()));
            }
            if (m.runtimeResolver == null) {
                throw new ConfException(String.format("no resolver defined to resolve names at run time in upstream "
                        + "\"%s\" in %s:%d", b.name, b.where.file(), b.where.line()));
            }
        }
        m.measure(new UpstreamMetrics(init.metrics()));
        for (UpstreamGroup g : m.build()) {
            init.addLifecycle(g);
        }
    }
}
