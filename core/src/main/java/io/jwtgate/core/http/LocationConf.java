package io.jwtgate.core.http;

import io.jwtgate.core.conf.ConfDirective;
import java.util.Set;

/**
 * The merged, immutable configuration of one location (or of a server or the http block, for requests that match no
 * location). Modules read their part with {@link #get(LocSlot)}.
 */
public final class LocationConf {

    private final String name;
    private final boolean internal;
    private final ConfDirective where;
    private final CoreLocConf core;
    private final Object[] confs;
    /** {@code limit_except}'s methods (HEAD with GET), and its block, used for any other method; or {@code null}. */
    private final Set<String> limitExceptMethods;
    private final LocationConf limitExcept;

    public LocationConf(String name, boolean internal, ConfDirective where, CoreLocConf core, Object[] confs) {
        this(name, internal, where, core, confs, null, null);
    }

    private LocationConf(String name, boolean internal, ConfDirective where, CoreLocConf core, Object[] confs,
            Set<String> limitExceptMethods, LocationConf limitExcept) {
        this.name = name;
        this.internal = internal;
        this.where = where;
        this.core = core;
        this.confs = confs;
        this.limitExceptMethods = limitExceptMethods;
        this.limitExcept = limitExcept;
    }

    /** This location with a {@code limit_except} block that applies to the methods not in {@code methods}. */
    public LocationConf withLimitExcept(Set<String> methods, LocationConf block) {
        return new LocationConf(name, internal, where, core, confs, Set.copyOf(methods), block);
    }

    /**
     * The configuration a request with {@code method} uses here: the {@code limit_except} block's when the location
     * has one that does not list the method, else this one (nginx's {@code ngx_http_update_location_config}).
     */
    public LocationConf forMethod(String method) {
        return limitExcept == null || limitExceptMethods.contains(method) ? this : limitExcept;
    }

    /** The core's own settings for this location. */
    public CoreLocConf core() {
        return core;
    }

    @SuppressWarnings("unchecked")
    public <R> R get(LocSlot<?, R> slot) {
        return (R) confs[slot.index()];
    }

    /** The location's pattern as written, for logs. */
    public String name() {
        return name;
    }

    /**
     * The directive that opens the block ({@code location}, {@code server}, {@code http}; an {@code if} block's
     * pseudo-location gives its location's), for start-up messages about the location ({@code HttpInit.warn}).
     */
    public ConfDirective where() {
        return where;
    }

    /** Reachable only by internal redirects and subrequests. */
    public boolean internal() {
        return internal;
    }

    @Override
    public String toString() {
        return "location " + name;
    }
}
