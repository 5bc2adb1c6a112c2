package io.jwtgate.metrics;

import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.module.ConnectionCounts;
import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.MetricRegistry;
import io.jwtgate.core.module.Metrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What counting costs a request with every metric on (docs/operations.md#metrics), in the worst case: a new
 * connection per request (accepted, admitted, waiting, reading, writing, closed: the stub_status counts), a key fetch
 * through {@code jwt_key_request}, a token cache hit, the JWT verdict, and the log phase's request count and duration
 * by server and status ({@link RequestCounts}, the same code as a request runs). One registry for all threads, as
 * one process has, and a connection count shard per thread, as per event loop: run with {@code -t 2} (or more) to
 * see event loops counting the same series at once.
 * {@code nothing} is the harness's own cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetricsBenchmark {

    private MetricRegistry registry;
    private RequestCounts requests;
    private LocationConf server;
    private Counter keyFetch;
    private Counter cacheHit;
    private Counter verdict;
    private long nanos;

    @Setup
    public void setup() {
        registry = new MetricRegistry();
        Metrics metrics = registry.newLoad();
        requests = new RequestCounts(metrics);
        server = new LocationConf("", false, null, CoreLocConf.DEFAULT, new Object[0]);
        keyFetch = metrics.counter("fetches_total", "", "location", "outcome").labels("/jwks", "ok");
        cacheHit = metrics.counter("cache_total", "", "result").labels("hit");
        verdict = metrics.counter("verdicts_total", "", "result", "reason").labels("accepted", "ok");
    }

    /** An event loop's own connection counts, as each loop of the server has. */
    @State(Scope.Thread)
    public static class Loop {
        ConnectionCounts.Shard connections;

        @Setup
        public void setup(MetricsBenchmark shared) {
            connections = shared.registry.connections().newShard();
        }
    }

    @Benchmark
    public void everyMetric(Loop loop) {
        ConnectionCounts.Shard connections = loop.connections;
        connections.accepted();
        connections.admitted();
        connections.move(ConnectionCounts.State.NONE, ConnectionCounts.State.WAITING);
        connections.move(ConnectionCounts.State.WAITING, ConnectionCounts.State.READING);
        connections.requestStarted();
        connections.move(ConnectionCounts.State.READING, ConnectionCounts.State.WRITING);
        keyFetch.inc();
        cacheHit.add(1);
        verdict.inc();
        // a duration that moves through the buckets, as real ones do
        nanos = (nanos + 7_919_993) & ((1L << 33) - 1);
        requests.count(server, "api.example", 200, nanos);
        connections.move(ConnectionCounts.State.WRITING, ConnectionCounts.State.WAITING);
        connections.closed(ConnectionCounts.State.WAITING);
    }

    @Benchmark
    public void nothing() {
    }
}
