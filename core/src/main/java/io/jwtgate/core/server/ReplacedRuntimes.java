package io.jwtgate.core.server;

import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.module.HttpInit;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configurations a reload replaced, whose resources (access log files, upstream keep-alive connections, resolvers)
 * stay until the last request that started on one has ended, as nginx's old workers keep theirs until they exit
 * (docs/operations.md#reload). A thread of its own looks every {@value #POLL_MILLIS} ms, and stops them off the event
 * loops, since stopping may wait for a file to be written.
 */
final class ReplacedRuntimes {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.server");
    /** How often a replaced configuration is checked for requests still running on it. */
    private static final long POLL_MILLIS = 100;

    private final ChannelGroup connections;
    private final Collection<EventExecutor> loops;
    /** Guarded by {@code this}. */
    private final List<HttpRuntime> waiting = new ArrayList<>();
    /** Created by the first reload; guarded by {@code this}. */
    private ScheduledExecutorService watcher;

    ReplacedRuntimes(ChannelGroup connections, Collection<EventExecutor> loops) {
        this.connections = connections;
        this.loops = loops;
    }

    /** {@code old} was just replaced: its resources stop once no request uses it. */
    void add(HttpRuntime old) {
        synchronized (this) {
            if (watcher == null) {
                watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "jwtgate-replaced");
                    t.setDaemon(true);
                    return t;
                });
            }
            if (!watcher.isShutdown()) {
                waiting.add(old);
                watcher.execute(() -> stopWhenUnused(old));
                return;
            }
        }
        stop(old); // after close(): the connections are gone
    }

    /** The configurations still waiting for their requests. */
    synchronized List<HttpRuntime> waiting() {
        return new ArrayList<>(waiting);
    }

    /** Stops watching; the configurations still waiting are the caller's to stop. */
    synchronized List<HttpRuntime> close() {
        List<HttpRuntime> left = new ArrayList<>(waiting);
        waiting.clear();
        if (watcher != null) {
            watcher.shutdownNow();
        }
        return left;
    }

    static void stop(HttpRuntime rt) {
        for (HttpInit.Lifecycle l : rt.lifecycles()) {
            l.stop();
        }
    }

    /** On the watcher: stops {@code old}'s resources when no connection serves a request on it, else looks again. */
    private void stopWhenUnused(HttpRuntime old) {
        if (inUse(old)) {
            synchronized (this) {
                if (!watcher.isShutdown()) {
                    watcher.schedule(() -> stopWhenUnused(old), POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
            return;
        }
        synchronized (this) {
            if (!waiting.remove(old)) {
                return; // close() took it
            }
        }
        stop(old);
        log.info(ErrorLogLevel.NOTICE.marker(), "the requests begun before the reload have ended; the previous"
                + " configuration's resources are released");
    }

    /**
     * Whether a request that started on {@code rt} is still running. Each loop looks at its own connections, after
     * the swap: a request that read the old configuration did so in a task of its loop that has ended by then, and
     * every later one reads the new configuration.
     */
    private boolean inUse(HttpRuntime rt) {
        List<Future<Boolean>> answers = new ArrayList<>(loops.size());
        try {
            for (EventExecutor loop : loops) {
                answers.add(loop.submit(() -> serves(loop, rt)));
            }
            for (Future<Boolean> a : answers) {
                if (a.get(POLL_MILLIS * 10, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (RejectedExecutionException | ExecutionException e) {
            return false; // the loops are shutting down: nothing runs any more
        } catch (TimeoutException e) {
            return true; // a loop too busy to answer: ask again later
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether a connection of {@code loop} serves a request on {@code rt}; runs on {@code loop}. */
    private boolean serves(EventExecutor loop, HttpRuntime rt) {
        for (Channel ch : connections) {
            if (ch.eventLoop() == loop) {
                HttpConnection c = ch.pipeline().get(HttpConnection.class);
                if (c != null && c.serves(rt)) {
                    return true;
                }
            }
        }
        return false;
    }
}
