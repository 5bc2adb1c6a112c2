package io.jwtgate.proxy.resolve;

/**
 * The resolver settings of a location, inherited from the server and http levels as nginx's core module does.
 * Immutable.
 *
 * @param resolver the {@code resolver} in force, or {@code null} when none is set anywhere above
 * @param timeoutMs {@code resolver_timeout} (default 30s)
 */
public record ResolverConf(Resolver resolver, long timeoutMs) {

    static final ResolverConf DEFAULT = new ResolverConf(null, 30_000);

    /** A level's settings while the configuration is read; {@code null} means unset here. */
    static final class Draft {
        Resolver resolver;
        Long timeoutMs;
    }

    static ResolverConf merge(ResolverConf parent, Draft d) {
        ResolverConf p = parent == null ? DEFAULT : parent;
        return new ResolverConf(d.resolver != null ? d.resolver : p.resolver(),
                d.timeoutMs != null ? d.timeoutMs : p.timeoutMs());
    }
}
