package io.jwtgate.core.http;

import io.jwtgate.core.conf.ConfDirective;

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

    public LocationConf(String name, boolean internal, ConfDirective where, CoreLocConf core, Object[] confs) {
        this.name = name;
        this.internal = internal;
        this.where = where;
        this.core = core;
        this.confs = confs;
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
