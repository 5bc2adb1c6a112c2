package io.jwtgate.bench;

import io.jwtgate.core.server.HttpRuntime;
import io.jwtgate.limitreq.LimitReqModule;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code limit_req} on its hit path: the request phases of a location with one {@code limit_req} whose key is
 * already in the zone and which lets the request through, against the same location without it ({@code plain});
 * on one thread and on two threads sharing the zone, each with its own key ({@code own}, as event loops serving
 * different clients) or both with the same one ({@code shared}, one client's requests on two loops, which nginx's
 * zone mutex and this entry's lock serialize). Runs the loaded configuration's phase engine on a connectionless
 * request ({@link BenchRequest}); the location has no content handler, so each request ends with 404. Nanoseconds
 * per request (docs/limits.md#limit_req).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LimitReqBenchmark {

    static final String CONF = """
            events { }
            http {
                # fast enough that no request is ever rejected or delayed: every lookup is a hit that passes
                limit_req_zone $http_k zone=bench:10m rate=100000000r/s;
                server {
                    listen 127.0.0.1:8080;
                    server_name bench.test;
                    location /plain/ { }
                    location /limited/ { limit_req zone=bench burst=1000000 nodelay; }
                }
            }
            """;

    /** The configuration, and its zone, that every thread's requests share. */
    @State(Scope.Benchmark)
    public static class Gateway {

        /** {@code plain}: no limit; {@code limited}: one {@code limit_req}. */
        @Param({"plain", "limited"})
        public String location;

        /** {@code own}: a key per thread; {@code shared}: one key for all threads. */
        @Param({"own", "shared"})
        public String keys;

        HttpRuntime http;
        final AtomicInteger threads = new AtomicInteger();

        @Setup
        public void load() throws Exception {
            http = BenchRequest.load(Files.createTempDirectory("limit-req-bench"), CONF, new LimitReqModule());
        }
    }

    /** One thread's request, as one event loop's. */
    @State(Scope.Thread)
    public static class Client {

        BenchRequest request;

        @Setup
        public void setup(Gateway g) {
            String key = g.keys.equals("own") ? "client-" + g.threads.incrementAndGet() : "client";
            request = new BenchRequest(g.http, "/" + g.location + "/x", null,
                    List.<String[]>of(new String[] {"K", key}));
            if (request.run() != 404) {
                throw new IllegalStateException("the request was limited");
            }
        }
    }

    @Benchmark
    @Threads(1)
    public int oneThread(Client c) {
        return c.request.run();
    }

    @Benchmark
    @Threads(2)
    public int twoThreads(Client c) {
        return c.request.run();
    }
}
