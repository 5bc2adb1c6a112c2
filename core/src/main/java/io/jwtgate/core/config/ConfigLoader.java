package io.jwtgate.core.config;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.HeaderFilter;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseEngine;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.RangeAnswer;
import io.jwtgate.core.http.ServerConf;
import io.jwtgate.core.http.VirtualServer;
import io.jwtgate.core.http.route.LocationMatch;
import io.jwtgate.core.http.route.UriNormalizer;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.MetricRegistry;
import io.jwtgate.core.module.Metrics;
import io.jwtgate.core.module.ModuleRegistry;
import io.jwtgate.core.server.DetachedRoute;
import io.jwtgate.core.server.HttpRuntime;
import io.jwtgate.core.var.Variables;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Loads a configuration: parse, apply directives, merge every module's settings down the http -> server ->
 * location tree, run the modules' post-configuration, resolve variables, and build the routing tables. Nothing is
 * started here, so a failed load leaves nothing half-started.
 */
public final class ConfigLoader {

    private final ModuleRegistry registry;
    private final MainModule mainModule;
    private final HttpCoreModule coreModule;
    private final SslModule sslModule;
    /** The process's metrics: every configuration this loader loads declares into it, so counts outlive reloads. */
    private final MetricRegistry metrics = new MetricRegistry();

    /**
     * @param modules the modules in handler order; the loader adds the core's own modules in front
     */
    public ConfigLoader(List<HttpModule> modules) {
        this.mainModule = new MainModule();
        this.coreModule = new HttpCoreModule();
        this.sslModule = new SslModule();
        List<HttpModule> all = new ArrayList<>();
        all.add(mainModule);
        all.add(coreModule);
        all.add(sslModule);
        all.add(new NoEffectModule());
        all.addAll(modules);
        this.registry = new ModuleRegistry(all);
    }

    /** The metrics of every configuration this loader loads. */
    public MetricRegistry metrics() {
        return metrics;
    }

    public GatewayConfig load(Path mainFile) throws ConfException {
        List<ConfDirective> tree = ConfReader.parse(mainFile);
        ConfReader reader = new ConfReader(registry, mainFile);
        reader.read(tree);
        MainModule.Draft mainDraft = reader.main(mainModule.main);
        MainConf main = mainModule.resolve(mainDraft);
        HttpRuntime http = null;
        if (mainDraft.http != null) {
            http = buildHttp(reader, mainDraft.http);
        } else {
            reader.variables.resolve();
        }
        return new GatewayConfig(mainFile.toString(), main, http, List.copyOf(reader.messages));
    }

    private HttpRuntime buildHttp(ConfReader reader, Level http) throws ConfException {
        List<LocSlot<?, ?>> slots = registry.locSlots();
        merge(slots, null, http);
        List<LocationConf> locations = new ArrayList<>();
        Map<Level, VirtualServer> virtuals = new HashMap<>();
        Map<LocationConf, VirtualServer> serverOf = new IdentityHashMap<>();
        Map<LocationConf, DetachedRoute> detachedRoutes = new IdentityHashMap<>();
        for (Level server : http.children) {
            merge(slots, http.merged, server);
            int first = locations.size();
            mergeLocations(slots, server, locations);
            VirtualServer vs = Routing.virtualServer(server);
            virtuals.put(server, vs);
            DetachedRoute detached = detachedRoute(server, vs);
            for (LocationConf lc : locations.subList(first, locations.size())) {
                serverOf.put(lc, vs);
                detachedRoutes.put(lc, detached);
            }
        }
        PhaseEngine.Builder engine = new PhaseEngine.Builder();
        List<HeaderFilter> filters = new ArrayList<>();
        List<HttpInit.Lifecycle> lifecycles = new ArrayList<>();
        MetricRegistry.Load metricsLoad = metrics.newLoad();
        lifecycles.add(metricsLoad);
        List<HttpInit.WarmUp> warmUps = new ArrayList<>();
        // nginx's default_type default, unless a module owns the types
        AtomicReference<Function<HttpExchange, String>> contentTypes = new AtomicReference<>(x -> "text/plain");
        HttpInit init = new HttpInit() {
            @Override
            public void addHandler(Phase phase, PhaseHandler handler) {
                engine.add(phase, handler);
            }

            @Override
            public void addHeaderFilter(HeaderFilter filter) {
                filters.add(filter);
            }

            @Override
            public void setContentTypes(Function<HttpExchange, String> types) {
                contentTypes.set(types);
            }

            @Override
            public <M> M main(MainSlot<M> slot) {
                return reader.main(slot);
            }

            @Override
            public Variables variables() {
                return reader.variables;
            }

            @Override
            public List<LocationConf> locations() {
                return locations;
            }

            @Override
            public LocationConf subrequestTarget(LocationConf from, String uri) {
                int q = uri.indexOf('?');
                String path = UriNormalizer.normalize(q < 0 ? uri : uri.substring(0, q));
                if (path == null) {
                    return null;
                }
                LocationMatch<LocationConf> m = serverOf.get(from).match(path);
                return m.isMatched() && !m.isAutoRedirect() ? m.payload() : null;
            }

            @Override
            public ContentOrigin contentOrigin(LocationConf location) {
                for (HttpModule m : registry.modules()) {
                    ContentOrigin o = m.contentOrigin(location);
                    if (o != null) {
                        return o;
                    }
                }
                return null;
            }

            @Override
            public void warn(ConfDirective d, String message) {
                reader.message(ErrorLogLevel.WARN, d, message);
            }

            @Override
            public void notice(ConfDirective d, String message) {
                reader.message(ErrorLogLevel.NOTICE, d, message);
            }

            @Override
            public Path resolvePath(String path) {
                return reader.resolvePath(path);
            }

            @Override
            public Metrics metrics() {
                return metricsLoad;
            }

            @Override
            public void addLifecycle(Lifecycle lifecycle) {
                lifecycles.add(lifecycle);
            }

            @Override
            public void addWarmUp(WarmUp warmUp) {
                warmUps.add(warmUp);
            }
        };
        for (HttpModule m : registry.modules()) {
            m.postconfiguration(init);
        }
        // nginx's range header filter comes after every module's, so that it sees the body they leave
        filters.add(RangeAnswer::filter);
        reader.variables.resolve();
        List<String> routingWarnings = new ArrayList<>();
        HttpRuntime runtime = new HttpRuntime(Routing.listens(http, virtuals, sslModule, routingWarnings),
                engine.build(), List.copyOf(filters), reader.variables.table(), registry.requestSlotCount(),
                List.copyOf(lifecycles), reader.mains.clone(), contentTypes.get(), metrics.connections(),
                List.copyOf(warmUps), Collections.unmodifiableMap(detachedRoutes));
        for (String w : routingWarnings) {
            reader.messages.add(new GatewayConfig.Message(ErrorLogLevel.WARN, w));
        }
        return runtime;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void merge(List<LocSlot<?, ?>> slots, Object[] parent, Level level) throws ConfException {
        Object[] out = new Object[slots.size()];
        for (int i = 0; i < out.length; i++) {
            LocSlot slot = slots.get(i);
            Object draft = level.drafts[i];
            // an if or limit_except block that sets nothing of a module has its location's configuration, even
            // what nested locations do not inherit (nginx's noname locations: proxy_pass applies inside the block)
            if (draft == null && parent != null && (slot.sharesUnset() || level.isPseudoLocation())) {
                out[i] = parent[i];
            } else {
                out[i] = slot.merge(parent == null ? null : parent[i], draft == null ? slot.create() : draft);
            }
        }
        level.merged = out;
        CoreLocConf core = (CoreLocConf) out[coreModule.conf.index()];
        level.conf = new LocationConf(level.displayName(), level.internal, level.locationWhere(), core, out);
    }

    private void mergeLocations(List<LocSlot<?, ?>> slots, Level parent, List<LocationConf> all)
            throws ConfException {
        for (Level loc : parent.children) {
            merge(slots, parent.merged, loc);
            if (loc.limitExcept != null) {
                merge(slots, loc.merged, loc.limitExcept);
                all.add(loc.limitExcept.conf);
                loc.conf = loc.conf.withLimitExcept(loc.limitExceptMethods, loc.limitExcept.conf);
            }
            all.add(loc.conf);
            for (Level ifBlock : loc.ifBlocks) {
                // nginx's pseudo-location: merged from its location, listed for the modules like any location
                merge(slots, loc.merged, ifBlock);
                all.add(ifBlock.conf);
            }
            mergeLocations(slots, loc, all);
        }
    }

    /** Where detached requests made in {@code server}'s locations run: its first {@code listen} (port 80 without). */
    private static DetachedRoute detachedRoute(Level server, VirtualServer vs) {
        if (server.listens.isEmpty()) {
            return new DetachedRoute(vs, new InetSocketAddress(80), false);
        }
        ListenSpec first = server.listens.get(0);
        return new DetachedRoute(vs, first.address(), first.ssl());
    }

    static ServerConf serverConf(Level server) {
        return new ServerConf(List.copyOf(server.names), server.conf);
    }

    static boolean isLocation(Level l) {
        return l.kind == Context.LOCATION;
    }
}
