package io.jwtgate.core.server;

import io.jwtgate.core.http.DetachedRequests;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.http.Transport;
import io.jwtgate.core.module.HttpInit;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a configuration's warm-ups ({@code HttpInit.addWarmUp}) before it serves, and waits until every one has
 * finished, at most {@link #LIMIT} (docs/operations.md#readiness-and-liveness): their detached requests run on the
 * event loops, this waits on the thread that starts or reloads the configuration.
 */
final class WarmUps {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.server");
    /**
     * The longest start-up or reload waits for warm-ups; work still running then goes on behind the served
     * configuration. Longer than a fetch with the timeouts docs/jwt.md#jwt_key_request recommends, far shorter than
     * one with nginx's default proxy timeouts of 60 s.
     */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private WarmUps() {
    }

    /** Starts every warm-up of {@code rt} and waits for them; its lifecycles must have started. */
    static void await(HttpRuntime rt, EventLoopGroup workers, Transport transport) throws InterruptedException {
        if (rt.warmUps().isEmpty()) {
            return;
        }
        DetachedRequests requests = (from, uri, options, prepare, done) -> {
            DetachedRoute place = rt.detachedRoutes().get(from);
            if (place == null) {
                throw new IllegalArgumentException("not a location of this configuration: " + from);
            }
            EventLoop loop = workers.next();
            loop.execute(() -> {
                try {
                    DetachedRequest.run(rt, place, loop, transport, uri, options, prepare, done);
                } catch (RuntimeException e) {
                    // a bug in a handler: the warm-up still gets an answer, and does not hold start-up for LIMIT
                    log.error("detached request for \"{}\" failed", uri, e);
                    done.accept(new SubrequestResult(500, Map.of(), new byte[0], true, false));
                }
            });
        };
        List<CompletableFuture<?>> running = new ArrayList<>();
        for (HttpInit.WarmUp w : rt.warmUps()) {
            running.add(w.start(requests).toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0]))
                    .get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("warm-up still running after {} s: serving without waiting for it", LIMIT.toSeconds());
        } catch (ExecutionException e) {
            log.error("warm-up failed", e.getCause());
        }
    }
}
