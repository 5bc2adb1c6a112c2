package io.jwtgate.core.module;

import io.jwtgate.core.http.HeaderFilter;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.var.Variables;
import java.nio.file.Path;
import java.util.List;

/** What a module sees in {@link HttpModule#postconfiguration}, once the configuration is read and merged. */
public interface HttpInit {

    /** Adds a handler to a phase; handlers of one phase run in the order modules were registered. */
    void addHandler(Phase phase, PhaseHandler handler);

    /** Adds a filter that sees every response head before it is sent. */
    void addHeaderFilter(HeaderFilter filter);

    <M> M main(MainSlot<M> slot);

    Variables variables();

    /** Every location of every server, merged. */
    List<LocationConf> locations();

    Path resolvePath(String path);

    /**
     * Registers something to start with the configuration and stop when it is replaced or the process exits,
     * such as a file watcher.
     */
    void addLifecycle(Lifecycle lifecycle);

    /** A resource that lives as long as one loaded configuration. */
    interface Lifecycle {
        void start();

        void stop();

        /**
         * Closes and opens again the files it writes, at their configured paths ({@code -s reopen}, after a log
         * rotation renamed them); must not block the caller on file I/O.
         */
        default void reopen() {
        }
    }
}
