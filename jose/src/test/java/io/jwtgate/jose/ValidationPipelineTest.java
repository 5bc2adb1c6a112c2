package io.jwtgate.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.jose.claims.RevocationList;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The extension points of {@link ValidationPipeline}: each receives the caller's per-request state, runs in the order
 * of docs/jwt.md#validation-order, and only when every earlier step passed.
 */
class ValidationPipelineTest {

    static final long NOW = 1_700_000_000L;
    static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(NOW));

    /** A caller's per-request state: here, the steps that ran. */
    static final class Request {
        final List<String> ran = new ArrayList<>();
    }

    static Jws decoded(String claims) throws Exception {
        JwsResult r = JwsParser.create().parse(TestTokens.signer(Algorithm.ES256).sign(claims, true));
        assertThat(r.isOk()).as(r.toString()).isTrue();
        return r.jws();
    }

    static ValidationPipeline<Request> pipeline(Reason signature, boolean claimRule, Reason last) {
        return ValidationPipeline.<Request>builder()
                .clock(CLOCK)
                .issuers(Set.of("https://idp"))
                .signature((rq, jws) -> {
                    rq.ran.add("signature");
                    return signature;
                })
                .claimRule((rq, doc) -> {
                    rq.ran.add("claim " + doc.get("sub").textValue());
                    return claimRule;
                })
                .headerRule((rq, doc) -> {
                    rq.ran.add("header " + doc.get("alg").textValue());
                    return true;
                })
                .finalCheck((rq, jws) -> {
                    rq.ran.add("final");
                    return last;
                })
                .build();
    }

    static final String GOOD = "{\"sub\":\"alice\",\"iss\":\"https://idp\",\"exp\":" + (NOW + 60) + "}";

    @Test
    void everyStepRunsInOrderWithTheRequestsState() throws Exception {
        Request rq = new Request();
        assertThat(pipeline(null, true, null).check(rq, decoded(GOOD))).isNull();
        assertThat(rq.ran).containsExactly("signature", "claim alice", "header ES256", "final");
    }

    @Test
    void aFailedStepEndsTheCheck() throws Exception {
        Request rq = new Request();
        assertThat(pipeline(Reason.BAD_SIGNATURE, true, null).check(rq, decoded(GOOD)))
                .isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rq.ran).containsExactly("signature");

        rq = new Request();
        assertThat(pipeline(null, false, null).check(rq, decoded(GOOD))).isEqualTo(Reason.CLAIM_REQUIREMENT_FAILED);
        assertThat(rq.ran).containsExactly("signature", "claim alice");

        rq = new Request();
        assertThat(pipeline(null, true, Reason.REQUIREMENT_FAILED).check(rq, decoded(GOOD)))
                .isEqualTo(Reason.REQUIREMENT_FAILED);
        assertThat(rq.ran).containsExactly("signature", "claim alice", "header ES256", "final");
    }

    @Test
    void theStandardChecksRunBetweenTheSignatureAndTheRules() throws Exception {
        Request rq = new Request();
        String expired = GOOD.replace(Long.toString(NOW + 60), Long.toString(NOW - 1));
        assertThat(pipeline(null, true, null).check(rq, decoded(expired))).isEqualTo(Reason.EXPIRED);
        assertThat(rq.ran).containsExactly("signature");

        rq = new Request();
        assertThat(pipeline(null, true, null).check(rq, decoded(GOOD.replace("https://idp", "https://other"))))
                .isEqualTo(Reason.ISSUER_MISMATCH);
        assertThat(rq.ran).containsExactly("signature");
    }

    @Test
    void aRevocationListIsReadOnEveryCheck() throws Exception {
        AtomicReference<RevocationList> list = new AtomicReference<>(RevocationList.of(Set.of()));
        ValidationPipeline<Request> p = ValidationPipeline.<Request>builder()
                .clock(CLOCK)
                .revokedSubs(list::get)
                .build();
        Jws jws = decoded(GOOD);
        assertThat(p.check(new Request(), jws)).isNull();
        list.set(RevocationList.of(Set.of("alice")));
        assertThat(p.check(new Request(), jws)).isEqualTo(Reason.REVOKED);
    }

    @Test
    void withoutASignatureStepTheSignatureIsNotChecked() throws Exception {
        Jws tampered = JwsParser.create().parse(ConformanceTest.tamper(TestTokens.signer(Algorithm.ES256)
                .sign(GOOD, true))).jws();
        assertThat(ValidationPipeline.<Request>builder().clock(CLOCK).build().check(new Request(), tampered)).isNull();
    }

    @Test
    void optionsAreSetOnce() {
        assertThatThrownBy(() -> ValidationPipeline.builder().clock(CLOCK).clock(CLOCK))
                .isInstanceOf(IllegalStateException.class).hasMessage("clock was already set");
        assertThatThrownBy(() -> ValidationPipeline.builder().leeway(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("leeway: -1 (expected: >= 0)");
    }
}
