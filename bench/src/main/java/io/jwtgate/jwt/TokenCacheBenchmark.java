package io.jwtgate.jwt;

import io.jwtgate.bench.TokenFixtures;
import io.jwtgate.jose.Algorithm;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.JwsParser;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.SignatureVerifier;
import io.jwtgate.jose.claims.StandardClaims;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
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
 * A token's cost per request with the gateway's own verified-token cache (in this package because the cache is the
 * jwt module's internal class): {@code cached} is a client reusing its token (a hit, then the checks that run on
 * every request: time, issuer), {@code cold} a token seen for the first time (decode, verify, the same checks and
 * the cache insert). Compare {@code cold} with {@code VerifyBenchmark.parseAndVerify}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenCacheBenchmark {

    private static final Set<String> ISSUERS = Set.of("https://issuer.example");

    @Param({"HS256", "RS256", "ES256", "EdDSA"})
    public String alg;

    private JwsParser parser;
    private SignatureVerifier verifier;
    private TokenFixtures fx;
    private List<KeySet> keys;
    private TokenCache cache;

    @Setup
    public void setup() throws Exception {
        CryptoProvider crypto = CryptoProvider.preferred();
        parser = JwsParser.create();
        verifier = SignatureVerifier.create(crypto);
        fx = TokenFixtures.create(Algorithm.forName(alg), crypto,
                "{\"sub\":\"user-1\",\"exp\":4102444800,\"iss\":\"https://issuer.example\"}");
        keys = List.of(fx.keys);
        cache = new TokenCache(TokenCache.DEFAULT_BYTES, InstantSource.system());
        // twice: the cache keeps a token the second time it sees it
        if (cold() != null || cold() != null || cached() != null) {
            throw new IllegalStateException("fixture token does not verify");
        }
    }

    @Benchmark
    public Reason cached() {
        TokenCache.Entry e = cache.get(fx.token);
        if (e == null || !e.matches(keys)) {
            throw new IllegalStateException("cache miss");
        }
        return e.rejection() != null ? e.rejection() : perRequest(e.jws());
    }

    @Benchmark
    public Reason cold() {
        Jws jws = parser.parse(fx.token).jws();
        Reason r = verifier.verify(jws, fx.keys);
        cache.put(fx.token, jws, keys, r);
        return r != null ? r : perRequest(jws);
    }

    private static Reason perRequest(Jws jws) {
        Reason r = StandardClaims.checkTime(jws.payload(), System.currentTimeMillis() / 1000, 0, true);
        return r != null ? r : StandardClaims.checkIssuer(jws.payload(), ISSUERS);
    }
}
