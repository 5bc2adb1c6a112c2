package io.jwtgate.proxy;

import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.Histogram;
import io.jwtgate.core.module.Metrics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The upstreams' metrics in one configuration (docs/operations.md#metrics): per upstream and server (the address
 * as the {@code server} line or {@code proxy_pass} wrote it) the tries, the responses by status class, the failures
 * by kind, the response time of each try ({@code $upstream_response_time}), the addresses up and down, and the
 * connections active and idle. Every series is resolved here, when the configuration is loaded, so that a try only
 * counts.
 */
final class UpstreamMetrics {

    /** Response-time buckets in seconds: Prometheus's defaults, 5 ms to 10 s, as the request duration's. */
    static final double[] TIME_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** The upstream and server label of every upstream a {@code proxy_pass} with variables names at request time. */
    static final String RUNTIME = "*";

    /** What a failed try counts as: nginx's {@code proxy_next_upstream} kinds of what counts against a peer. */
    enum Failure {
        /** The connection (or its TLS handshake) could not be made. */
        CONNECT("connect"),
        /** The connection failed after it was made, before the response head. */
        ERROR("error"),
        TIMEOUT("timeout"),
        INVALID_HEADER("invalid_header"),
        /** A 500, 502, 503 or 504 {@code proxy_next_upstream} moved on from. */
        HTTP_5XX("http_5xx"),
        /** A 429 {@code proxy_next_upstream} moved on from. */
        HTTP_429("http_429");

        final String word;

        Failure(String word) {
            this.word = word;
        }
    }

    /** The series of one server of an upstream. */
    static final class Server {
        private final Counter requests;
        /** By status class, 1xx to 5xx. */
        private final Counter[] responses = new Counter[5];
        /** By {@link Failure} ordinal. */
        private final Counter[] failures = new Counter[Failure.values().length];
        private final Histogram time;

        private Server(UpstreamMetrics m, String upstream, String server) {
            requests = m.requests.labels(upstream, server);
            for (int i = 0; i < responses.length; i++) {
                responses[i] = m.responses.labels(upstream, server, (i + 1) + "xx");
            }
            for (Failure f : Failure.values()) {
                failures[f.ordinal()] = m.failures.labels(upstream, server, f.word);
            }
            time = m.times.labels(upstream, server);
        }

        /** A try begins. */
        void tried() {
            requests.inc();
        }

        /** A try ended after {@code ms} milliseconds, with a response head of {@code status} (0: none). */
        void ended(int status, long ms) {
            if (status >= 100 && status < 600) {
                responses[status / 100 - 1].inc();
            }
            time.observe(ms / 1000.0);
        }

        void failed(Failure f) {
            failures[f.ordinal()].inc();
        }
    }

    /** The series of one upstream group. */
    static final class Group {
        /** By the server as written. */
        private final Map<String, Server> servers;
        /** The series of a server not configured ({@link #RUNTIME}'s only one), or {@code null}. */
        private final Server any;
        /** A request found no live server ({@code no live upstreams}). */
        final Counter noLive;
        /** The open connections to the group's servers, counted by their handlers. */
        final LongAdder connections = new LongAdder();

        private Group(Map<String, Server> servers, Server any, Counter noLive) {
            this.servers = servers;
            this.any = any;
            this.noLive = noLive;
        }

        /** The series of {@code p}'s server: a map lookup by a string whose hash is cached, no lock. */
        Server of(Peer p) {
            Server s = servers.get(p.server());
            return s != null ? s : any;
        }
    }

    private final Metrics.Family<Counter> requests;
    private final Metrics.Family<Counter> responses;
    private final Metrics.Family<Counter> failures;
    private final Metrics.Family<Histogram> times;
    private final Metrics.Gauges peers;
    private final Metrics.Gauges connections;
    /** The gauge samples given so far, so that two groups of one name show once. */
    private final Set<List<String>> shown = new HashSet<>();
    /** The groups a {@code proxy_pass} with variables makes for each request. */
    final Group runtime;

    UpstreamMetrics(Metrics m) {
        requests = m.counter("jwtgate_upstream_requests_total",
                "Tries sent to an upstream server, by upstream and server (as configured)", "upstream", "peer");
        responses = m.counter("jwtgate_upstream_responses_total",
                "Response heads from an upstream server, by status class", "upstream", "peer", "status");
        failures = m.counter("jwtgate_upstream_failures_total", "Failed tries by kind (connect, error, timeout, "
                + "invalid_header, http_5xx, http_429; no_live_upstreams with an empty peer)", "upstream", "peer",
                "kind");
        times = m.histogram("jwtgate_upstream_response_duration_seconds",
                "Time of each try, from picking the server to the response's end ($upstream_response_time)",
                TIME_BUCKETS, "upstream", "peer");
        peers = m.gauge("jwtgate_upstream_peers", "Addresses of an upstream server the balancer would choose (up) "
                + "or not (down: marked down, or failed max_fails times within fail_timeout)", "upstream", "peer",
                "state");
        connections = m.gauge("jwtgate_upstream_connections",
                "Connections to an upstream's servers: carrying a request (active) or kept alive (idle)", "upstream",
                "state");
        runtime = new Group(Map.of(), new Server(this, RUNTIME, RUNTIME), noLive(RUNTIME));
        show(RUNTIME, runtime, null);
    }

    private Counter noLive(String upstream) {
        return failures.labels(upstream, "", "no_live_upstreams");
    }

    /** Resolves the series of {@code g}'s servers and shows its addresses' states and its connections. */
    void measure(UpstreamGroup g) {
        Map<String, Server> byServer = new HashMap<>();
        for (String server : g.servers()) {
            byServer.put(server, new Server(this, g.name, server));
            if (shown.add(List.of(g.name, server))) {
                peers.sample(() -> g.addresses(server, true), g.name, server, "up");
                peers.sample(() -> g.addresses(server, false), g.name, server, "down");
            }
        }
        g.metrics = new Group(Map.copyOf(byServer), null, noLive(g.name));
        show(g.name, g.metrics, g);
    }

    /** The connection gauges of a group; {@code g} is {@code null} for {@link #runtime}, which keeps none idle. */
    private void show(String name, Group m, UpstreamGroup g) {
        if (!shown.add(List.of(name))) {
            return;
        }
        connections.sample(() -> {
            long open = m.connections.sum();
            return Math.max(0, open - (g == null ? 0 : g.idleConnections()));
        }, name, "active");
        connections.sample(() -> g == null ? 0 : g.idleConnections(), name, "idle");
    }
}
