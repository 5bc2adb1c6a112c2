package io.jwtgate.core.server;

import io.jwtgate.core.http.HeaderFilter;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.ListenGroup;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.PhaseEngine;
import io.jwtgate.core.module.ConnectionCounts;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.var.Variable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything the server needs at request time from one loaded configuration. Immutable; a reload builds a new one
 * and requests in flight keep the one they started with.
 *
 * @param listens the sockets to listen on, each with its virtual servers
 * @param engine the compiled phase handlers
 * @param headerFilters every response head passes through these, in order
 * @param variables the variable table by index
 * @param requestSlots the number of per-request module state slots
 * @param lifecycles resources started with this configuration
 * @param mains the modules' http-wide configurations by {@code MainSlot} index
 * @param contentTypes the type of a response made from text ({@code HttpInit.setContentTypes})
 * @param connections the process's connection counts, the same object in every configuration of one loader
 * @param warmUps work to finish before this configuration serves ({@code HttpInit.addWarmUp})
 * @param detachedRoutes where a detached request made for each location runs (its server, first listen)
 */
public record HttpRuntime(List<ListenGroup> listens, PhaseEngine engine, List<HeaderFilter> headerFilters,
        Variable[] variables, int requestSlots, List<HttpInit.Lifecycle> lifecycles, Object[] mains,
        Function<HttpExchange, String> contentTypes, ConnectionCounts connections, List<HttpInit.WarmUp> warmUps,
        Map<LocationConf, DetachedRoute> detachedRoutes) {

    /** A module's http-wide configuration, {@code null} when none of its directives created it. */
    @SuppressWarnings("unchecked")
    public <M> M main(MainSlot<M> slot) {
        return (M) mains[slot.index()];
    }
}
