package io.jwtgate.proxy;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.proxy.resolve.ResolverConf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upstream module's http-wide configuration (nginx's {@code ngx_http_upstream_main_conf_t}): the
 * {@code upstream} blocks of one configuration load, their groups once the blocks are read, and the implicit
 * groups nginx creates for a {@code proxy_pass} to a host with no block of that name. Read-only once the
 * configuration is loaded.
 */
final class Upstreams {

    /** Peer selection keeps the tried peers of a tier in one {@code long}. */
    static final int MAX_PEERS = 64;

    /** An {@code upstream} block while it is read. */
    static final class Block {
        final String name;
        final List<Peer> primary = new ArrayList<>();
        final List<Peer> backup = new ArrayList<>();
        Integer keepalive;
        Long keepaliveTimeoutMs;
        Integer keepaliveRequests;
        /** The balancing method; round robin until a method directive chooses another. */
        Balancing balancing = Balancing.ROUND_ROBIN;
        /** Whether a balancing method directive was seen (nginx warns when a second one redefines it). */
        boolean balancingSet;
        /** {@code zone}: the name, or {@code null}; its size, 0 when not given. */
        String zone;
        long zoneSize;
        /** The {@code server name resolve} lines, whose peers come at run time. */
        final List<UpstreamResolution.Server> resolvable = new ArrayList<>();
        /** The {@code upstream} directive, for errors found once the block is read. */
        final ConfDirective where;

        Block(String name, ConfDirective where) {
            this.name = name;
            this.where = where;
        }

        UpstreamGroup group(ResolverConf runtimeResolver) {
            UpstreamGroup g = new UpstreamGroup(name, primary.toArray(new Peer[0]), backup.toArray(new Peer[0]),
                    balancing, zone != null, keepalive == null ? 0 : keepalive,
                    keepaliveTimeoutMs == null ? UpstreamGroup.DEFAULT_KEEPALIVE_TIMEOUT_MS : keepaliveTimeoutMs,
                    keepaliveRequests == null ? UpstreamGroup.DEFAULT_KEEPALIVE_REQUESTS : keepaliveRequests,
                    UpstreamGroup::millis);
            if (!resolvable.isEmpty()) {
                g.resolution = new UpstreamResolution(g, primary, backup, resolvable, runtimeResolver);
            }
            return g;
        }
    }

    /** The {@code zone} names and their declared sizes (0: none yet). */
    final Map<String, Long> zoneSizes = new LinkedHashMap<>();
    /** The blocks by lower-case name, while the configuration is read. */
    final Map<String, Block> blocks = new LinkedHashMap<>();
    /** The http level's resolver, for {@code server ... resolve}; set before the groups are built. */
    ResolverConf runtimeResolver;
    /** The groups of the blocks by lower-case name; built once every block is read. */
    private Map<String, UpstreamGroup> groups;
    /** Implicit groups by {@code host:port}. */
    private final Map<String, UpstreamGroup> implicit = new HashMap<>();
    /** The series of this load's groups; set in the upstream module's post-configuration, before the proxy's. */
    private UpstreamMetrics metrics;

    /** Resolves the series of every block's group, and of the implicit groups found from now on. */
    void measure(UpstreamMetrics m) {
        metrics = m;
        for (UpstreamGroup g : build()) {
            m.measure(g);
        }
    }

    /** The groups of every block, built on first use after the configuration is read. */
    List<UpstreamGroup> build() {
        if (groups == null) {
            Map<String, UpstreamGroup> g = new HashMap<>();
            blocks.forEach((name, b) -> g.put(name, b.group(runtimeResolver)));
            groups = Map.copyOf(g);
        }
        return List.copyOf(groups.values());
    }

    /**
     * The group of a constant {@code proxy_pass} URL (nginx's {@code ngx_http_upstream_add}): the block of that
     * name, or an implicit group of the host's addresses, shared by every {@code proxy_pass} to the same host and
     * port.
     */
    UpstreamGroup forPass(ProxyUrl url, ConfDirective where) throws ConfException {
        build();
        String key = ConfValues.lower(url.host());
        UpstreamGroup g = groups.get(key);
        if (g != null) {
            if (url.explicitPort()) {
                throw where.error("upstream \"%s\" may not have port %d", url.host(), url.port());
            }
            return g;
        }
        String implicitKey = key + ":" + url.port();
        g = implicit.get(implicitKey);
        if (g == null) {
            g = implicitGroup(url, where);
            metrics.measure(g);
            implicit.put(implicitKey, g);
        }
        return g;
    }

    private static UpstreamGroup implicitGroup(ProxyUrl url, ConfDirective where) throws ConfException {
        InetAddress[] addrs;
        try {
            addrs = InetAddress.getAllByName(url.bareHost());
        } catch (UnknownHostException e) {
            throw where.error("host not found in upstream \"%s\"", url.host());
        }
        return resolved(url, List.of(addrs));
    }

    /**
     * The upstream a URL evaluated at request time names, as nginx's {@code ngx_http_upstream_init_request} finds
     * it: a block (when the URL has no port), the implicit upstream of a constant {@code proxy_pass} to the same
     * host and port, or an address; never a DNS lookup, so {@code null} for any other host name.
     */
    UpstreamGroup atRuntime(ProxyUrl url) {
        String key = ConfValues.lower(url.host());
        UpstreamGroup g = url.explicitPort() ? null : groups.get(key);
        if (g == null) {
            g = implicit.get(key + ":" + url.port());
        }
        if (g != null) {
            return g;
        }
        InetAddress a = literal(url.bareHost());
        if (a == null) {
            return null;
        }
        InetSocketAddress sa = new InetSocketAddress(a, url.port());
        return UpstreamGroup.transientPeer(url.proxyHost(), Peer.of(sa, url.host(), ServerParams.TRANSIENT),
                metrics.runtime);
    }

    /** The upstream of the addresses the resolver gave for a {@code proxy_pass} with variables. */
    UpstreamGroup atRuntime(ProxyUrl url, List<InetAddress> addresses) {
        UpstreamGroup g = resolved(url, addresses);
        g.metrics = metrics.runtime;
        return g;
    }

    /**
     * The upstream of a host's addresses, in the order given, with nginx's defaults for the peers of an implicit
     * upstream or of a name resolved at request time ({@code ngx_http_upstream_create_round_robin_peer}); each
     * peer's server is the host and port as {@code proxy_pass} wrote them (the metrics' label).
     */
    static UpstreamGroup resolved(ProxyUrl url, List<InetAddress> addresses) {
        Peer[] peers = new Peer[Math.min(addresses.size(), MAX_PEERS)];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = Peer.of(new InetSocketAddress(plain(addresses.get(i)), url.port()), url.proxyHost(),
                    ServerParams.DEFAULT);
        }
        return new UpstreamGroup(url.proxyHost(), peers, new Peer[0], Balancing.ROUND_ROBIN, false, 0, 0, 0,
                UpstreamGroup::millis);
    }

    /** The address without the name it was found by, so that socket errors name only the address, as nginx's. */
    static InetAddress plain(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // an address of 4 or 16 bytes cannot fail
        }
    }

    /** An IP address literal, parsed without any lookup; {@code null} for a name. */
    static InetAddress literal(String host) {
        boolean v4 = !host.isEmpty();
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.') {
                v4 = false;
                break;
            }
        }
        boolean v6 = host.indexOf(':') >= 0;
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
