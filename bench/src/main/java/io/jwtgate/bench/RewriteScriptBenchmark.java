package io.jwtgate.bench;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.config.ConfigLoader;
import io.jwtgate.core.config.GatewayConfig;
import io.jwtgate.core.http.PhaseEngine;
import io.jwtgate.core.http.VirtualServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request phases of a location that answers with {@code return}, without and with a rewrite script of three
 * {@code if}/{@code set} pairs in front (a comparison, a header test and a regex with a capture, all true): what
 * the script costs a request. Runs the loaded configuration's phase engine on a connectionless request
 * ({@link BenchRequest}). Nanoseconds per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RewriteScriptBenchmark {

    static final String CONF = """
            events { }
            http {
                server {
                    listen 127.0.0.1:8080;
                    server_name bench.test;
                    location /plain/ { return 200 "ok"; }
                    location /script/ {
                        if ($arg_v = yes) { set $a "$arg_v-1"; }
                        if ($http_x_test) { set $b 2; }
                        if ($uri ~ ^/script/(\\d+)$) { set $c $1; }
                        return 200 "ok";
                    }
                }
            }
            """;

    /** {@code plain}: the location without a script; {@code script}: the one with three if/set. */
    @Param({"plain", "script"})
    public String location;

    private PhaseEngine engine;
    private BenchRequest request;

    @Setup
    public void setup() throws Exception {
        Path dir = Files.createTempDirectory("rewrite-bench");
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, CONF, StandardCharsets.UTF_8);
        GatewayConfig config = new ConfigLoader(CoreModules.create()).load(file);
        VirtualServer server = config.http().listens().get(0).wildcard().defaultServer();
        engine = config.http().engine();
        request = new BenchRequest(server, config.http().variables(), "/" + location + "/42", "v=yes",
                List.<String[]>of(new String[] {"X-Test", "1"}));
        if (request.run(engine) != 200) {
            throw new IllegalStateException("the request did not end with return 200");
        }
    }

    @Benchmark
    public int request() {
        return request.run(engine);
    }
}
