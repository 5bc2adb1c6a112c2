package io.jwtgate.core.http;

/**
 * The merged, immutable configuration of one location (or of a server or the http block, for requests that match no
 * location). Modules read their part with {@link #get(LocSlot)}.
 */
public final class LocationConf {

    private final String name;
    private final boolean internal;
    private final CoreLocConf core;
    private final Object[] confs;

    public LocationConf(String name, boolean internal, CoreLocConf core, Object[] confs) {
        this.name = name;
        this.internal = internal;
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

    /** Reachable only by internal redirects and subrequests. */
    public boolean internal() {
        return internal;
    }

    @Override
    public String toString() {
        return "location " + name;
    }
}
