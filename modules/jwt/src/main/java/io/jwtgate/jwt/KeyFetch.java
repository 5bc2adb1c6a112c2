package io.jwtgate.jwt;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.SubrequestOptions;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.KeySetResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the key sets of a location's {@code jwt_key_request} sources for one request, all in parallel, and hands
 * the usable ones to {@code done} on the request's event loop. A failed source is logged and left out; when every
 * source asked failed, the {@link Fetched} says so, and the request is answered 503 rather than 401 if no other key
 * exists (docs/jwt.md#jwt_key_request). Bodies not seen before are parsed off the event loop.
 */
final class KeyFetch {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.jwt");
    private static final Executor PARSER = ForkJoinPool.commonPool();

    private final Authentication request;
    private final HttpExchange x;
    private final KeyRequest[] sources;
    private final boolean refresh;
    private final Consumer<Fetched> done;
    private final KeySet[] results;
    /** Sources asked (a {@code $variable} that is empty skips its source) and sources that answered a document. */
    private int asked;
    private int answered;
    private int pending;
    private boolean starting;
    private boolean finished;

    /**
     * What the sources of one fetch yielded.
     *
     * @param keys the usable key sets, in source order
     * @param unavailable true when at least one source was asked and every source asked failed (no answer, timeout,
     *     non-200, bad or oversized document); a well-formed document without a usable key is an answer
     */
    record Fetched(List<KeySet> keys, boolean unavailable) {
    }

    private KeyFetch(Authentication request, KeyRequest[] sources, boolean refresh, Consumer<Fetched> done) {
        this.request = request;
        this.x = request.exchange();
        this.sources = sources;
        this.refresh = refresh;
        this.done = done;
        this.results = new KeySet[sources.length];
    }

    /**
     * Starts fetching; returns what was fetched at once when every source answered synchronously, else
     * {@code null}, and {@code done} is called later on the event loop.
     *
     * @param refresh set {@code $jwt_key_refresh} to 1 in the subrequests (a forced refresh for an unknown kid)
     */
    static Fetched start(Authentication request, KeyRequest[] sources, boolean refresh, Consumer<Fetched> done) {
        return new KeyFetch(request, sources, refresh, done).run();
    }

    private Fetched run() {
        starting = true;
        pending = sources.length;
        for (int i = 0; i < sources.length; i++) {
            KeyRequest src = sources[i];
            String uri = src.uri(x);
            if (uri.isEmpty()) {
                pending--;
                continue;
            }
            asked++;
            int index = i;
            x.subrequest(uri, SubrequestOptions.keepBody(KeyRequest.MAX_BODY), sub -> {
                if (refresh) {
                    request.markKeyRefresh(sub);
                }
            }, r -> answered(index, uri, r));
        }
        starting = false;
        if (pending == 0) {
            finished = true;
            return collect();
        }
        return null;
    }

    private void answered(int index, String uri, SubrequestResult r) {
        KeyRequest src = sources[index];
        String why = KeyRequest.unusable(r);
        if (why != null) {
            failed(src, uri, why);
            arrived();
            return;
        }
        KeySetResult known = src.remembered(r.body());
        if (known != null) {
            accept(index, uri, known);
            arrived();
            return;
        }
        // A body not seen before: decode its keys off the event loop, then come back.
        PARSER.execute(() -> {
            KeySetResult parsed = src.parse(r.body());
            x.eventLoop().execute(() -> {
                accept(index, uri, parsed);
                arrived();
            });
        });
    }

    private void accept(int index, String uri, KeySetResult r) {
        if (r.isWellFormed()) {
            answered++;
        }
        if (r.isOk()) {
            results[index] = r.keySet();
            sources[index].fetched(r.keySet(), refresh);
            for (String w : r.warnings()) {
                log.warn("jwt_key_request \"{}\": {}", uri, w);
            }
        } else {
            failed(sources[index], uri, r.error());
        }
    }

    /** One line per failed source, bounded like rejection lines: during an outage every request would write one. */
    private void failed(KeyRequest src, String uri, String why) {
        src.fetchFailed();
        int suppressed = request.logLimiter().acquire(JwtModule.KEY_SOURCE_FAILED);
        if (suppressed == LogLimiter.SUPPRESS) {
            return;
        }
        if (suppressed > 0) {
            log.error("jwt_key_request: {} similar lines suppressed (source failed)", suppressed);
        }
        log.error("jwt_key_request \"{}\" failed: {}", uri, why);
    }

    private void arrived() {
        pending--;
        if (pending == 0 && !starting && !finished) {
            finished = true;
            done.accept(collect());
        }
    }

    private Fetched collect() {
        List<KeySet> out = new ArrayList<>(results.length);
        for (KeySet k : results) {
            if (k != null) {
                out.add(k);
            }
        }
        return new Fetched(out, asked > 0 && answered == 0);
    }
}
