package io.jwtgate.jwt;

import io.jwtgate.core.http.DetachedRequests;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.SubrequestOptions;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.jose.KeySetResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code jwt_key_request_prefetch on} (docs/jwt.md#jwt_key_request_prefetch): before a configuration serves, each of
 * its key sources with prefetch on is fetched once, through a detached request made in the location, exactly as a
 * client's request there fetches it (so the key location's {@code proxy_cache} is filled), and its key set is parsed
 * and remembered by the source, so that the first client request finds the keys in the cache and parsed. One line
 * per source: the keys it got at info, or why it failed at error; the configuration serves either way, and a request
 * that needs the keys fetches them itself (503 while every source fails).
 */
final class KeyPrefetch implements HttpInit.WarmUp {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.jwt");
    private static final Executor PARSER = ForkJoinPool.commonPool();

    /**
     * One source to fetch.
     *
     * @param location the first location, in configuration order, that uses it with prefetch on
     * @param source the source, whose URI is constant
     */
    record Target(LocationConf location, KeyRequest source) {
    }

    private final List<Target> targets;

    KeyPrefetch(List<Target> targets) {
        this.targets = List.copyOf(targets);
    }

    @Override
    public CompletionStage<?> start(DetachedRequests requests) {
        List<CompletableFuture<Void>> all = new ArrayList<>(targets.size());
        for (Target t : targets) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            all.add(done);
            requests.subrequest(t.location(), t.source().uri.constant(),
                    SubrequestOptions.keepBody(KeyRequest.MAX_BODY), sub -> { }, r -> answered(t, r, done));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** On the event loop: a body worth parsing is parsed off it, as {@link KeyFetch} does. */
    private static void answered(Target t, SubrequestResult r, CompletableFuture<Void> done) {
        String why = KeyRequest.unusable(r);
        if (why != null) {
            failed(t, why);
            done.complete(null);
            return;
        }
        PARSER.execute(() -> {
            try {
                KeySetResult keys = t.source().parse(r.body());
                if (!keys.isOk()) {
                    failed(t, keys.error());
                    return;
                }
                for (String w : keys.warnings()) {
                    log.warn("jwt_key_request \"{}\": {}", t.source(), w);
                }
                int n = keys.keySet().size();
                log.info("jwt_key_request \"{}\" prefetched for location \"{}\": {} key{}", t.source(),
                        t.location().name(), n, n == 1 ? "" : "s");
            } finally {
                done.complete(null);
            }
        });
    }

    private static void failed(Target t, String why) {
        log.error("jwt_key_request \"{}\" prefetch for location \"{}\" failed: {}; requests fetch the keys "
                + "themselves", t.source(), t.location().name(), why);
    }
}
