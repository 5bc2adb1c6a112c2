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
 *
 * <p>{@code oneOff} and {@code oneOffUncached} are the cache's part when tokens do not repeat: a new token text on
 * every call (each of {@value #DISTINCT} in turn) is looked up, decoded, and offered to the cache, or only decoded
 * (what {@code jwt_token_cache off} does). The signature check, the same in both, is left out so that it does not
 * hide the difference; run them with {@code -prof gc} for the bytes and collector time per call. (The texts' hash
 * codes are computed once, on their first use; a request's token is a new string.)
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
    private static final int DISTINCT = 1 << 17;
    private String[] distinct;
    private int next;

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
        distinct = new String[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            distinct[i] = fx.token + "~" + i; // a key of the cache only: what is decoded is fx.token
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

    @Benchmark
    public Jws oneOff() {
        String token = distinct[next++ & (DISTINCT - 1)];
        TokenCache.Entry e = cache.get(token);
        if (e != null) {
            return e.jws();
        }
        Jws jws = parser.parse(fx.token).jws();
        cache.put(token, jws, keys, null);
        return jws;
    }

    @Benchmark
    public Jws oneOffUncached() {
        return parser.parse(fx.token).jws();
    }

    private static Reason perRequest(Jws jws) {
        Reason r = StandardClaims.checkTime(jws.payload(), System.currentTimeMillis() / 1000, 0, true);
        return r != null ? r : StandardClaims.checkIssuer(jws.payload(), ISSUERS);
    }
}
