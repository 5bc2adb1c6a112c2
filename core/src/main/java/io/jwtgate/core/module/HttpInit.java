package io.jwtgate.core.module;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.DetachedRequests;
import io.jwtgate.core.http.HeaderFilter;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.var.Variables;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** What a module sees in {@link HttpModule#postconfiguration}, once the configuration is read and merged. */
public interface HttpInit {

    /** Adds a handler to a phase; handlers of one phase run in the order modules were registered. */
    void addHandler(Phase phase, PhaseHandler handler);

    /** Adds a filter that sees every response head before it is sent. */
    void addHeaderFilter(HeaderFilter filter);

    /**
     * Sets how a response the gateway makes from text ({@code return}) gets its type: nginx's
     * {@code ngx_http_set_content_type}, the {@code types} of the URI's extension, else {@code default_type}. The
     * module that owns those directives sets it; without one the type is {@code text/plain}, nginx's default.
     */
    void setContentTypes(Function<HttpExchange, String> types);

    <M> M main(MainSlot<M> slot);

    Variables variables();

    /**
     * Every location of every server, merged: named locations ({@code @name}) and the pseudo-locations of {@code if}
     * blocks too (an {@code if}'s carries its location's name).
     */
    List<LocationConf> locations();

    /**
     * The location of {@code from}'s server that {@link io.jwtgate.core.http.HttpExchange#subrequest} would run for
     * {@code uri} (a path, optionally with a query), or {@code null} when it would run none: no location matches,
     * the match only redirects to the same path with a slash, or the URI is invalid. For checks at load time.
     */
    LocationConf subrequestTarget(LocationConf from, String uri);

    /**
     * Where {@code location}'s responses come from: the answer of the first module, in handler order (the order
     * content handlers are tried), that produces its content; {@code null} when none does.
     */
    ContentOrigin contentOrigin(LocationConf location);

    /** Logs a start-up warning located at {@code d} (also printed by {@code -t}), as nginx's {@code [warn]} lines. */
    void warn(ConfDirective d, String message);

    /**
     * Logs a start-up notice located at {@code d} (also printed by {@code -t}), as nginx's {@code [notice]} lines:
     * for a configuration that works as written but may not do what was meant.
     */
    void notice(ConfDirective d, String message);

    Path resolvePath(String path);

    /** Declares metrics (docs/operations.md#metrics): counters outlive reloads, gauges follow this configuration. */
    Metrics metrics();

    /**
     * Registers something to start with the configuration and stop when it is replaced or the process exits,
     * such as a file watcher.
     */
    void addLifecycle(Lifecycle lifecycle);

    /**
     * Registers work that must be done before this configuration serves (docs/modules.md#warm-up): at start-up the
     * listening sockets open, and at a reload the new configuration replaces the running one, only once every
     * warm-up has finished or a bounded wait ran out. Its lifecycles have started by then.
     */
    void addWarmUp(WarmUp warmUp);

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

    /** Work to finish before a configuration serves, such as fetching keys through the configuration's locations. */
    @FunctionalInterface
    interface WarmUp {

        /**
         * Starts the work, on the thread that starts or reloads the configuration (not an event loop; must not
         * block); the returned stage completes when the work is over, whatever came of it: its outcome is the
         * module's to log, and a failed warm-up delays nothing beyond itself.
         */
        CompletionStage<?> start(DetachedRequests requests);
    }
}
