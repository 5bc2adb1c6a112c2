package io.jwtgate.bench;

import io.jwtgate.jose.Algorithm;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.JwsParser;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.SignatureVerifier;
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
 * Parse + signature verification of one token per algorithm, with the provider the gateway picks (ACCP where it
 * loads) and with the JDK's, in operations per second: compare with {@code openssl speed rsa2048 ecdsap256 ed25519}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VerifyBenchmark {

    @Param({"HS256", "RS256", "PS256", "ES256", "EdDSA"})
    public String alg;

    @Param({"preferred", "jdk"})
    public String provider;

    private JwsParser parser;
    private SignatureVerifier verifier;
    private TokenFixtures fx;

    @Setup
    public void setup() throws Exception {
        CryptoProvider crypto = provider.equals("jdk") ? CryptoProvider.jdk() : CryptoProvider.preferred();
        parser = JwsParser.create();
        verifier = SignatureVerifier.create(crypto);
        fx = TokenFixtures.create(Algorithm.forName(alg), crypto,
                "{\"sub\":\"user-1\",\"exp\":4102444800,\"iss\":\"https://issuer.example\"}");
        if (verify() != null) {
            throw new IllegalStateException("fixture token does not verify");
        }
    }

    @Benchmark
    public Reason parseAndVerify() {
        return verify();
    }

    @Benchmark
    public Object parseOnly() {
        return parser.parse(fx.token);
    }

    private Reason verify() {
        return verifier.verify(parser.parse(fx.token).jws(), fx.keys);
    }
}
