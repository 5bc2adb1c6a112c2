package io.jwtgate.bench;

import io.jwtgate.core.server.HttpRuntime;
import io.jwtgate.jose.Algorithm;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jwt.JwtModule;
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
 * A request of a client that reuses its token, in a location the JWT module protects ({@code jwt_secret} for HMAC,
 * {@code jwt_key_file} with a PEM public key otherwise, and {@code jwt_issuer}), run by the loaded configuration's
 * phase engine on a connectionless request ({@link BenchRequest}) with new per-request state each call: the token
 * from {@code Authorization}, the verified-token cache hit, the per-request checks ({@code exp}, {@code jwt_issuer})
 * and the verdict, with the phase steps around them. The location has no content handler, so a request the access
 * phase lets through ends with 404. Compare with {@code TokenCacheBenchmark.cached}, which is the cache and the
 * checks alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RepeatedTokenBenchmark {

    static final String CONF = """
            events { }
            http {
                server {
                    listen 127.0.0.1:8080;
                    location /api {
                        %s
                        jwt_issuer https://issuer.example;
                    }
                }
            }
            """;
    /** What the engine ends a request with that passed the access phase: no content handler takes it. */
    private static final int PASSED = 404;

    @Param({"HS256", "ES256"})
    public String alg;

    private BenchRequest request;

    @Setup
    public void setup() throws Exception {
        Algorithm algorithm = Algorithm.forName(alg);
        TokenFixtures fx = TokenFixtures.create(algorithm, CryptoProvider.preferred(),
                "{\"sub\":\"user-1\",\"exp\":4102444800,\"iss\":\"https://issuer.example\"}");
        Path dir = Files.createTempDirectory("jwt-bench");
        String keys;
        if (algorithm.family() == Algorithm.Family.HMAC) {
            keys = "jwt_secret \"" + fx.keyText + "\";";
        } else {
            Files.writeString(dir.resolve("key.pem"), fx.keyText, StandardCharsets.US_ASCII);
            keys = "jwt_key_file key.pem;";
        }
        HttpRuntime http = BenchRequest.load(dir, CONF.formatted(keys), new JwtModule());
        if (new BenchRequest(http, "/api", null, List.of()).run() != 401) {
            throw new IllegalStateException("the location does not require a token");
        }
        request = new BenchRequest(http, "/api", null,
                List.<String[]>of(new String[] {"Authorization", "Bearer " + fx.token}));
        // the cache keeps a verdict the second time it sees a token
        for (int i = 0; i < 3; i++) {
            if (request.run() != PASSED) {
                throw new IllegalStateException("fixture token rejected");
            }
        }
    }

    @Benchmark
    public int repeatedToken() {
        return request.run();
    }
}
