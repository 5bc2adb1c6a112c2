package io.jwtgate.metrics;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.ServerConf;
import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.Histogram;
import io.jwtgate.core.module.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code jwtgate_http_requests_total{server,code}} and {@code jwtgate_http_request_duration_seconds{server}}, counted
 * in the log phase of every client request. A server's series are looked up once, on its first request (a status's
 * on its first occurrence); after that counting is an array read and two adder increments.
 */
final class RequestCounts {

    /** Prometheus's default buckets, in seconds: 5 ms to 10 s. */
    static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Metrics.Family<Counter> requests;
    private final Metrics.Family<Histogram> durations;
    /** By the server's own configuration level, which is one object per server. */
    private final Map<LocationConf, Server> servers = new ConcurrentHashMap<>();

    RequestCounts(Metrics metrics) {
        requests = metrics.counter("jwtgate_http_requests_total",
                "Client requests by virtual server (its first server_name) and response status", "server", "code");
        durations = metrics.histogram("jwtgate_http_request_duration_seconds",
                "Time from the first byte of a client request to its log phase", DURATION_BUCKETS, "server");
    }

    int log(HttpExchange x) {
        ServerConf server = x.server();
        count(server.conf(), server.primaryName(), x.status(), System.nanoTime() - x.startNanos());
        return PhaseHandler.OK;
    }

    /** Counts a request of the server whose own configuration level is {@code server}, named {@code name}. */
    void count(LocationConf server, String name, int status, long nanos) {
        Server s = servers.get(server);
        if (s == null) {
            s = servers.computeIfAbsent(server, k -> new Server(name));
        }
        s.count(status, nanos);
    }

    /** One virtual server's series. */
    private final class Server {

        private final String name;
        /** By status; a status outside 100-599 counts as 0. Filled as statuses occur; a race fills a slot twice with
         * the same series. */
        private final Counter[] byCode = new Counter[600];
        private final Histogram duration;

        Server(String name) {
            this.name = name;
            this.duration = durations.labels(name);
        }

        void count(int status, long nanos) {
            int code = status >= 100 && status < byCode.length ? status : 0;
            Counter c = byCode[code];
            if (c == null) {
                c = requests.labels(name, Integer.toString(code));
                byCode[code] = c;
            }
            c.inc();
            duration.observe(nanos / 1e9);
        }
    }
}
