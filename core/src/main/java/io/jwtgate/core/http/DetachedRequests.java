package io.jwtgate.core.http;

import java.util.function.Consumer;

/**
 * Makes requests that no client made, for the work a configuration does before it serves ({@code HttpInit.WarmUp},
 * docs/modules.md#warm-up).
 */
public interface DetachedRequests {

    /**
     * Runs {@code GET uri} exactly as {@link HttpExchange#subrequest} run in {@code from} would: through
     * {@code from}'s server, reaching {@code internal} locations, skipping the access phase, with {@code options}'
     * limits, through {@code proxy_cache} and everything else the target location does. Its main request is a
     * detached one, on one of the event loops, with no connection behind it ({@code GET /} from {@code 127.0.0.1},
     * only {@code Host}), which ends once {@code done} has run. {@code prepare} and {@code done} run on that event
     * loop; this method returns at once.
     */
    void subrequest(LocationConf from, String uri, SubrequestOptions options, Consumer<HttpExchange> prepare,
            Consumer<SubrequestResult> done);
}
