package io.jwtgate.proxy;

import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.resolve.ResolverModule;
import java.time.InstantSource;
import java.util.List;

/**
 * The modules of this package, in the order they are registered: the resolver module, the upstream module, then the
 * proxy module.
 */
public final class ProxyModules {

    private ProxyModules() {
    }

    public static List<HttpModule> create() {
        return create(InstantSource.system());
    }

    /** With the clock {@code proxy_cache} validity and {@code inactive} are measured by (tests move it). */
    public static List<HttpModule> create(InstantSource clock) {
        ResolverModule resolver = new ResolverModule();
        UpstreamModule upstream = new UpstreamModule(resolver);
        return List.of(resolver, upstream, new ProxyModule(upstream, resolver, clock));
    }
}
