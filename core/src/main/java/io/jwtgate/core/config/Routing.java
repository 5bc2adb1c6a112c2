package io.jwtgate.core.config;

import io.jwtgate.core.codec.PemFiles;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.AddressServers;
import io.jwtgate.core.http.ListenGroup;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.SocketOptions;
import io.jwtgate.core.http.VirtualServer;
import io.jwtgate.core.http.route.InvalidLocationException;
import io.jwtgate.core.http.route.LocationSpec;
import io.jwtgate.core.http.route.LocationTree;
import io.jwtgate.core.http.route.ServerNames;
import io.jwtgate.core.tls.ServerTls;
import io.jwtgate.core.tls.TunedSslContext;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the request-time routing from the configuration tree: each server's location tree, and per listening
 * socket the server-name tables, grouped as nginx groups them (a wildcard {@code listen} on a port takes the
 * specific addresses of that port under it).
 */
final class Routing {

    /**
     * ALPN as nginx's http module answers it without HTTP/2: the first of these the client offers (in this order),
     * and a fatal {@code no_application_protocol} alert when it offers none of them; no ALPN without the extension.
     */
    private static final ApplicationProtocolConfig HTTP_ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.FATAL_ALERT,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "http/1.1", "http/1.0", "http/0.9");

    private Routing() {
    }

    private record Bound(Level server, VirtualServer virtual, ListenSpec listen) {
    }

    /** What {@link #group} needs to build TLS contexts. */
    private record Tls(SslModule module, Map<SslModule.SslConf, SslContext> contexts) {
    }

    /** A server block with its compiled locations. */
    static VirtualServer virtualServer(Level server) throws ConfException {
        Map<String, LocationConf> named = new HashMap<>();
        for (Level l : server.children) {
            if (l.modifier == Level.Modifier.NAMED) {
                named.putIfAbsent(l.pattern.substring(1), l.conf); // the first of a name, as nginx
            }
        }
        return new VirtualServer(ConfigLoader.serverConf(server), tree(server), named);
    }

    /** @param virtuals every server of {@code http}, as {@link #virtualServer} built it */
    static List<ListenGroup> listens(Level http, Map<Level, VirtualServer> virtuals, SslModule ssl,
            List<String> warnings) throws ConfException {
        Map<SslModule.SslConf, SslContext> contexts = new HashMap<>();
        List<Bound> bound = new ArrayList<>();
        for (Level server : http.children) {
            VirtualServer vs = virtuals.get(server);
            List<ListenSpec> listens = server.listens.isEmpty()
                    ? List.of(new ListenSpec(new InetSocketAddress(80), false, false, false, null, server.where))
                    : server.listens;
            List<InetSocketAddress> seen = new ArrayList<>();
            for (ListenSpec l : listens) {
                if (seen.contains(l.address())) {
                    throw l.where().error("a duplicate listen %s", display(l.address()));
                }
                seen.add(l.address());
                bound.add(new Bound(server, vs, l));
            }
        }
        // port -> address -> listens, in configuration order
        Map<Integer, Map<InetSocketAddress, List<Bound>>> ports = new LinkedHashMap<>();
        for (Bound b : bound) {
            ports.computeIfAbsent(b.listen().address().getPort(), p -> new LinkedHashMap<>())
                    .computeIfAbsent(b.listen().address(), a -> new ArrayList<>()).add(b);
        }
        List<ListenGroup> groups = new ArrayList<>();
        for (Map<InetSocketAddress, List<Bound>> byAddr : ports.values()) {
            InetSocketAddress wildcard = null;
            for (InetSocketAddress a : byAddr.keySet()) {
                if (a.getAddress().isAnyLocalAddress()) {
                    wildcard = a;
                }
            }
            if (wildcard == null) {
                for (Map.Entry<InetSocketAddress, List<Bound>> e : byAddr.entrySet()) {
                    groups.add(group(e.getKey(), e.getValue(), Map.of(), new Tls(ssl, contexts), warnings));
                }
                continue;
            }
            Map<InetAddress, AddressServers> specific = new LinkedHashMap<>();
            for (Map.Entry<InetSocketAddress, List<Bound>> e : byAddr.entrySet()) {
                if (!e.getKey().equals(wildcard)) {
                    for (Bound b : e.getValue()) {
                        if (b.listen().options() != null) {
                            // nginx binds such an address apart from the wildcard; jwtgate binds the wildcard only
                            throw b.listen().where().error("socket options for %s next to a wildcard listen on "
                                    + "port %d are not supported", display(e.getKey()), e.getKey().getPort());
                        }
                    }
                    specific.put(e.getKey().getAddress(), servers(e.getKey(), e.getValue(), warnings));
                }
            }
            groups.add(group(wildcard, byAddr.get(wildcard), specific, new Tls(ssl, contexts), warnings));
        }
        return groups;
    }

    private static ListenGroup group(InetSocketAddress addr, List<Bound> list,
            Map<InetAddress, AddressServers> specific, Tls tls, List<String> warnings) throws ConfException {
        SocketOptions options = null;
        for (Bound b : list) {
            if (b.listen().options() != null) {
                if (options != null) {
                    throw b.listen().where().error("duplicate listen options for %s", display(addr));
                }
                options = b.listen().options();
            }
        }
        ServerTls serverTls = list.stream().anyMatch(b -> b.listen().ssl()) ? serverTls(list, tls) : null;
        return new ListenGroup(addr, serverTls, options == null ? SocketOptions.DEFAULT : options,
                servers(addr, list, warnings), Map.copyOf(specific));
    }

    /** The certificates of the servers on one TLS socket, the first (or default_server) one as the default. */
    private static ServerTls serverTls(List<Bound> list, Tls tls) throws ConfException {
        SslContext defaultContext = null;
        Map<String, SslContext> byName = new LinkedHashMap<>();
        for (Bound b : list) {
            ListenSpec l = b.listen();
            SslModule.SslConf c = (SslModule.SslConf) b.server().merged[tls.module().conf.index()];
            SslContext ctx = context(c, l, tls.contexts());
            if (defaultContext == null || l.defaultServer()) {
                defaultContext = ctx;
            }
            for (String name : b.server().names) {
                if (name.startsWith("~") || name.isEmpty()) {
                    continue;
                }
                String key = name.startsWith(".") ? "*" + name : name;
                if (!key.endsWith(".*")) {
                    byName.putIfAbsent(key, ctx);
                }
            }
        }
        return new ServerTls(defaultContext, byName);
    }

    private static SslContext context(SslModule.SslConf c, ListenSpec listen,
            Map<SslModule.SslConf, SslContext> cache) throws ConfException {
        if (c.certificate() == null) {
            throw SslModule.missing(listen.where(), "ssl_certificate");
        }
        if (c.key() == null) {
            throw SslModule.missing(listen.where(), "ssl_certificate_key");
        }
        SslContext ctx = cache.get(c);
        if (ctx != null) {
            return ctx;
        }
        try {
            SslContextBuilder b = SslContextBuilder.forServer(PemFiles.privateKey(c.key()),
                            PemFiles.certificates(c.certificate()))
                    .protocols(c.protocols())
                    .ciphers(c.ciphers(), SupportedCipherSuiteFilter.INSTANCE)
                    .sessionTimeout(c.sessionTimeoutSeconds())
                    .applicationProtocolConfig(HTTP_ALPN);
            if (c.sessionCacheSize() >= 0) {
                b.sessionCacheSize(c.sessionCacheSize());
            }
            ctx = new TunedSslContext(b.build(), c.preferServerCiphers(), c.bufferSize());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw c.where().error("cannot load certificate \"%s\" with key \"%s\": %s", c.certificate(), c.key(),
                    e.getMessage() == null ? e.toString() : e.getMessage());
        }
        cache.put(c, ctx);
        return ctx;
    }

    private static AddressServers servers(InetSocketAddress addr, List<Bound> list, List<String> warnings)
            throws ConfException {
        ServerNames.Builder<VirtualServer> b = ServerNames.builder(display(addr));
        for (Bound bd : list) {
            List<String> names = bd.server().names.isEmpty() ? List.of("") : bd.server().names;
            try {
                b.server(bd.virtual(), names, bd.listen().defaultServer());
            } catch (IllegalArgumentException e) {
                var where = bd.listen().defaultServer() || bd.server().firstServerName == null
                        ? bd.listen().where() : bd.server().firstServerName;
                throw where.error(e.getMessage());
            }
        }
        warnings.addAll(b.warnings());
        return new AddressServers(b.build(), list.stream().anyMatch(bd -> bd.listen().proxyProtocol()));
    }

    static String display(InetSocketAddress a) {
        String host = a.getAddress().isAnyLocalAddress() ? "0.0.0.0" : a.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return host + ":" + a.getPort();
    }

    private static LocationTree<LocationConf> tree(Level server) throws ConfException {
        Map<LocationConf, Level> levels = new IdentityHashMap<>();
        List<LocationSpec<LocationConf>> specs = specs(server, levels);
        try {
            return LocationTree.build(specs);
        } catch (InvalidLocationException e) {
            Level l = levels.get(e.location().payload());
            throw l.where.error(e.getMessage());
        }
    }

    private static List<LocationSpec<LocationConf>> specs(Level parent, Map<LocationConf, Level> levels) {
        List<LocationSpec<LocationConf>> out = new ArrayList<>();
        for (Level l : parent.children) {
            if (l.modifier == Level.Modifier.NAMED) {
                continue; // reached by name only (VirtualServer.named)
            }
            levels.put(l.conf, l);
            LocationSpec.Kind kind = switch (l.modifier) {
                case EXACT -> LocationSpec.Kind.EXACT;
                case PREFIX -> LocationSpec.Kind.PREFIX;
                case PREFIX_NOREGEX -> LocationSpec.Kind.PREFIX_NOREGEX;
                case REGEX -> LocationSpec.Kind.REGEX;
                case REGEX_CASELESS -> LocationSpec.Kind.REGEX_CASELESS;
                case NAMED -> throw new IllegalStateException("named locations are not matched by URI");
            };
            out.add(new LocationSpec<>(kind, l.pattern, l.conf, l.autoRedirect, specs(l, levels)));
        }
        return out;
    }
}
