package io.jwtgate.proxy.resolve;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx's {@code resolver address[:port] ... [valid=time] [ipv6=on|off]} and {@code resolver_timeout time}, at the
 * http, server and location levels, inherited downwards. nginx's core module owns them; here they live beside their
 * only users, the proxy and upstream modules, because the DNS client they need is theirs (the core has no
 * dependency on it). A stateless definition: the resolvers of a load live in its location configurations and live
 * as long as that load.
 */
public final class ResolverModule extends HttpModule {

    private static final int DNS_PORT = 53;

    /** The {@code resolver} and {@code resolver_timeout} written at the http level, for the upstreams. */
    public static final class HttpLevel {
        Resolver resolver;
        Long timeoutMs;

        /** The http level's settings, or {@code null} without a {@code resolver} there. */
        public ResolverConf conf() {
            return resolver == null ? null
                    : new ResolverConf(resolver, timeoutMs != null ? timeoutMs : ResolverConf.DEFAULT.timeoutMs());
        }
    }

    /** The http level's settings, which upstreams use ({@code server ... resolve}), as nginx's do. */
    public final MainSlot<HttpLevel> httpLevel = mainSlot(MainSlot.of(HttpLevel::new));

    /** The resolver settings of each location. */
    public final LocSlot<ResolverConf.Draft, ResolverConf> conf =
            locSlot(LocSlot.of(ResolverConf.Draft::new, (p, d) -> ResolverConf.merge(p, d)));

    public ResolverModule() {
        super("resolver");
    }

    @Override
    public List<Directive> directives() {
        return List.of(
                Directive.of("resolver", Directive.httpServerLocation(), Arity.ONE_OR_MORE, this::resolver),
                Directive.of("resolver_timeout", Directive.httpServerLocation(), Arity.TAKE1, this::resolverTimeout));
    }

    private void resolverTimeout(ConfContext cx, ConfDirective d) throws ConfException {
        ResolverConf.Draft draft = cx.loc(conf);
        Setters.checkUnset(d, draft.timeoutMs);
        draft.timeoutMs = Setters.millis(d, d.arg(0));
        if (cx.context() == Context.HTTP) {
            cx.main(httpLevel).timeoutMs = draft.timeoutMs;
        }
    }

    private void resolver(ConfContext cx, ConfDirective d) throws ConfException {
        ResolverConf.Draft draft = cx.loc(conf);
        Setters.checkUnset(d, draft.resolver);
        int valid = 0;
        boolean ipv6 = true;
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String a : d.args()) {
            if (a.startsWith("valid=")) {
                long v = ConfValues.seconds(a.substring(6));
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw d.error("invalid parameter: %s", a);
                }
                valid = (int) v;
            } else if (a.startsWith("ipv6=")) {
                Boolean on = a.equals("ipv6=on") ? Boolean.TRUE : a.equals("ipv6=off") ? Boolean.FALSE : null;
                if (on == null) {
                    throw d.error("invalid parameter: %s", a);
                }
                ipv6 = on;
            } else if (a.startsWith("status_zone=")) {
                throw d.error("\"status_zone=\" of \"resolver\" is NGINX Plus's; jwtgate does not support it");
            } else {
                servers.addAll(nameServers(d, a));
            }
        }
        if (servers.isEmpty()) {
            throw d.error("no name servers defined");
        }
        draft.resolver = new Resolver(servers, valid, ipv6);
        if (cx.context() == Context.HTTP) {
            cx.main(httpLevel).resolver = draft.resolver;
        }
    }

    /** The addresses of one {@code address[:port]} argument; a host name is looked up now, as nginx does. */
    private static List<InetSocketAddress> nameServers(ConfDirective d, String arg) throws ConfException {
        if (arg.startsWith("unix:")) {
            throw d.error("unix domain sockets are not supported in resolver \"%s\"", arg);
        }
        String host = arg;
        String port = null;
        if (arg.startsWith("[")) {
            int close = arg.indexOf(']');
            if (close < 0 || close + 1 < arg.length() && arg.charAt(close + 1) != ':') {
                throw d.error("invalid host in resolver \"%s\"", arg);
            }
            host = arg.substring(1, close);
            port = close + 1 < arg.length() ? arg.substring(close + 2) : null;
        } else {
            int colon = arg.lastIndexOf(':');
            if (colon >= 0) {
                host = arg.substring(0, colon);
                port = arg.substring(colon + 1);
            }
        }
        if (host.isEmpty() || host.indexOf('/') >= 0 || host.indexOf('?') >= 0) {
            throw d.error("invalid host in resolver \"%s\"", arg);
        }
        int p = DNS_PORT;
        if (port != null) {
            p = ConfValues.number(port);
            if (p < 1 || p > 65535) {
                throw d.error("invalid port in resolver \"%s\"", arg);
            }
        }
        InetAddress[] addrs;
        try {
            addrs = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw d.error("host not found in resolver \"%s\"", arg);
        }
        List<InetSocketAddress> out = new ArrayList<>(addrs.length);
        for (InetAddress a : addrs) {
            out.add(new InetSocketAddress(a, p));
        }
        return out;
    }

    /** Has every resolver of this configuration close its sockets when the configuration is replaced. */
    @Override
    public void postconfiguration(HttpInit init) {
        Map<Resolver, Boolean> seen = new IdentityHashMap<>();
        Resolver http = init.main(httpLevel).resolver;
        if (http != null) {
            seen.put(http, Boolean.TRUE);
            init.addLifecycle(http);
        }
        for (LocationConf loc : init.locations()) {
            ResolverConf rc = loc.get(conf);
            if (rc != null && rc.resolver() != null && seen.put(rc.resolver(), Boolean.TRUE) == null) {
                init.addLifecycle(rc.resolver());
            }
        }
    }
}
