package io.jwtgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jwtgate.jose.claims.ClaimRule;
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
 * One {@code jwt_require_claim} rule evaluated against a decoded payload, as every request with a rule does after the
 * signature (cached or not): constant rules compiled at configuration time, and a dynamic one whose expected value
 * comes from a variable and is parsed per request. Nanoseconds per evaluation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClaimRuleBenchmark {

    /** path|operator|expected; each rule holds for the payload below. */
    @Param({
        "role|eq|admin",
        "scope.level|ge|3",
        "groups|any|json=[\"ops\",\"dev\"]",
        "role|in|json=[\"admin\",\"root\",\"owner\"]",
        "email|match|@example\\.com$",
        "role|!eq|guest",
    })
    public String rule;

    private ClaimRule constant;
    private ClaimRule dynamic;
    private String expected;
    private JsonNode payload;

    @Setup
    public void setup() throws Exception {
        String[] p = rule.split("\\|", 3);
        constant = ClaimRule.compile(p[0], p[1], p[2]);
        dynamic = ClaimRule.compileDynamic(p[0], p[1]);
        expected = p[2];
        payload = new ObjectMapper().readTree("{\"sub\":\"user-1\",\"role\":\"admin\",\"email\":\"a.b@example.com\","
                + "\"groups\":[\"staff\",\"dev\",\"eu\"],\"scope\":{\"level\":5,\"name\":\"rw\"},"
                + "\"exp\":4102444800,\"iss\":\"https://issuer.example\"}");
        if (!constant.test(payload) || !dynamic.test(payload, expected)) {
            throw new IllegalStateException("rule does not hold for the fixture: " + rule);
        }
    }

    @Benchmark
    public boolean constantRule() {
        return constant.test(payload);
    }

    @Benchmark
    public boolean dynamicRule() {
        return dynamic.test(payload, expected);
    }
}
