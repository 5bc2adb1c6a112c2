package io.jwtgate.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwtgate.jose.claims.RevocationList;
import io.jwtgate.jose.claims.StandardClaims;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The validation order of docs/jwt.md#validation-order, written once: decoding (step 2), then the signature,
 * revocation, {@code exp}/{@code nbf}, issuer, audience, claim rules, header rules and the final check (steps 3 to 8),
 * each step run only when every earlier one passed. {@link JwtValidator} runs it with fixed keys and rules; the
 * gateway's JWT module builds one per location and plugs its own steps into the extension points:
 *
 * <ul>
 *   <li>{@link SignatureCheck} (step 3): verifies the signature, with whatever keys the caller has for this
 *       request (absent: signature validation is off, any {@code alg} passes);</li>
 *   <li>revocation lists as {@link Supplier}s (step 4), read on every check so that a list replaced in place is in
 *       force at once;</li>
 *   <li>{@link Rule} (step 7): a claim or header rule that may compute its expected value per request;</li>
 *   <li>{@link FinalCheck} (step 8): runs last, once every other check passed.</li>
 * </ul>
 *
 * <p>Step 1, finding the token, and what happens between decoding and the signature (fetching keys, a cache of
 * verdicts that stands in for steps 2 and 3) belong to the caller. The extension points receive the caller's
 * per-request state {@code R}, so that nothing is allocated per check. Instances are immutable and thread-safe;
 * nothing here throws on bad input: a rejection is a {@link Reason}.
 *
 * @param <R> the caller's per-request state, handed to each extension point
 */
public final class ValidationPipeline<R> {

    /** Step 3: the signature of a decoded token. */
    @FunctionalInterface
    public interface SignatureCheck<R> {
        /** {@code null} when the signature verifies, else why not. */
        Reason verify(R request, Jws jws);
    }

    /** Step 7: one claim rule (against the payload) or header rule (against the JOSE header). */
    @FunctionalInterface
    public interface Rule<R> {
        /** True when the rule holds for {@code document}. */
        boolean test(R request, JsonNode document);
    }

    /** Step 8: the caller's last check, run only when every other check passed. */
    @FunctionalInterface
    public interface FinalCheck<R> {
        /** {@code null} when it passes, else why not. */
        Reason check(R request, Jws jws);
    }

    private final JwsParser parser;
    private final SignatureCheck<R> signature; // null: signature validation off
    private final Supplier<RevocationList>[] revokedSubs;
    private final Supplier<RevocationList>[] revokedKids;
    private final boolean validateExp;
    private final long leewaySeconds;
    private final InstantSource clock;
    private final Set<String> issuers; // null: no check
    private final Set<String> audiences; // null: no check
    private final Rule<R>[] claimRules;
    private final Rule<R>[] headerRules;
    private final FinalCheck<R> finalCheck; // null: none

    @SuppressWarnings("unchecked")
    private ValidationPipeline(Builder<R> b) {
        parser = b.parser != null ? b.parser : JwsParser.create();
        signature = b.signature;
        revokedSubs = b.revokedSubs.toArray(new Supplier[0]);
        revokedKids = b.revokedKids.toArray(new Supplier[0]);
        validateExp = b.validateExp == null || b.validateExp;
        leewaySeconds = b.leewaySeconds == null ? 0 : b.leewaySeconds;
        clock = b.clock != null ? b.clock : InstantSource.system();
        issuers = b.issuers;
        audiences = b.audiences;
        claimRules = b.claimRules.toArray(new Rule[0]);
        headerRules = b.headerRules.toArray(new Rule[0]);
        finalCheck = b.finalCheck;
    }

    /** A new builder; each option may be set at most once, except the ones that add. */
    public static <R> Builder<R> builder() {
        return new Builder<>();
    }

    /** Step 2: the token decoded under the input limits (docs/jwt.md#input-limits). */
    public JwsResult decode(CharSequence token) {
        return parser.parse(token);
    }

    /** Steps 3 to 8 for a decoded token: {@code null} when every check passed, else the first that failed. */
    public Reason check(R request, Jws jws) {
        Reason r;
        if (signature != null && (r = signature.verify(request, jws)) != null) {
            return r;
        }
        ObjectNode payload = jws.payload();
        for (Supplier<RevocationList> list : revokedSubs) {
            if ((r = list.get().checkSub(payload)) != null) {
                return r;
            }
        }
        for (Supplier<RevocationList> list : revokedKids) {
            if ((r = list.get().checkKid(jws.kid())) != null) {
                return r;
            }
        }
        if ((r = StandardClaims.checkTime(payload, nowSeconds(), leewaySeconds, validateExp)) != null) {
            return r;
        }
        if (issuers != null && (r = StandardClaims.checkIssuer(payload, issuers)) != null) {
            return r;
        }
        if (audiences != null && (r = StandardClaims.checkAudience(payload, audiences)) != null) {
            return r;
        }
        for (Rule<R> rule : claimRules) {
            if (!rule.test(request, payload)) {
                return Reason.CLAIM_REQUIREMENT_FAILED;
            }
        }
        ObjectNode header = jws.header();
        for (Rule<R> rule : headerRules) {
            if (!rule.test(request, header)) {
                return Reason.HEADER_REQUIREMENT_FAILED;
            }
        }
        return finalCheck == null ? null : finalCheck.check(request, jws);
    }

    /** The current time in whole seconds, as the time checks see it. */
    public long nowSeconds() {
        return Math.floorDiv(clock.millis(), 1000L);
    }

    /** Builds {@link ValidationPipeline}s; fails fast on an option set twice. {@link #build} leaves it usable. */
    public static final class Builder<R> {
        private JwsParser parser;
        private SignatureCheck<R> signature;
        private final List<Supplier<RevocationList>> revokedSubs = new ArrayList<>();
        private final List<Supplier<RevocationList>> revokedKids = new ArrayList<>();
        private Boolean validateExp;
        private Long leewaySeconds;
        private InstantSource clock;
        private Set<String> issuers;
        private Set<String> audiences;
        private final List<Rule<R>> claimRules = new ArrayList<>();
        private final List<Rule<R>> headerRules = new ArrayList<>();
        private FinalCheck<R> finalCheck;

        private Builder() {
        }

        /** The decoder of step 2 (default {@link JwsParser#create()}). */
        public Builder<R> parser(JwsParser parser) {
            requireUnset(this.parser, "parser");
            this.parser = Objects.requireNonNull(parser, "parser");
            return this;
        }

        /** Step 3; without it the signature is not checked. */
        public Builder<R> signature(SignatureCheck<R> check) {
            requireUnset(signature, "signature");
            signature = Objects.requireNonNull(check, "check");
            return this;
        }

        /** Adds a list of revoked {@code sub} values (step 4); tokens must then carry a string {@code sub}. */
        public Builder<R> revokedSubs(Supplier<RevocationList> list) {
            revokedSubs.add(Objects.requireNonNull(list, "list"));
            return this;
        }

        /** Adds a list of revoked {@code kid} values (step 4); tokens must then carry a {@code kid}. */
        public Builder<R> revokedKids(Supplier<RevocationList> list) {
            revokedKids.add(Objects.requireNonNull(list, "list"));
            return this;
        }

        /** {@code exp} must be present and in the future (step 5; default on). */
        public Builder<R> validateExp(boolean on) {
            requireUnset(validateExp, "validateExp");
            validateExp = on;
            return this;
        }

        /** Clock skew allowed for {@code exp} and {@code nbf}, in seconds (default 0). */
        public Builder<R> leeway(long seconds) {
            requireUnset(leewaySeconds, "leeway");
            if (seconds < 0) {
                throw new IllegalArgumentException("leeway: " + seconds + " (expected: >= 0)");
            }
            leewaySeconds = seconds;
            return this;
        }

        /** The time source (default {@link InstantSource#system()}). */
        public Builder<R> clock(InstantSource clock) {
            requireUnset(this.clock, "clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Accepted issuers (step 6); {@code null} means no issuer check. */
        public Builder<R> issuers(Set<String> issuers) {
            requireUnset(this.issuers, "issuers");
            this.issuers = issuers;
            return this;
        }

        /** Accepted audiences (step 6); {@code null} means no audience check. */
        public Builder<R> audiences(Set<String> audiences) {
            requireUnset(this.audiences, "audiences");
            this.audiences = audiences;
            return this;
        }

        /** Adds a payload rule (step 7); rules run in the order added. */
        public Builder<R> claimRule(Rule<R> rule) {
            claimRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Adds a header rule (step 7, after every payload rule). */
        public Builder<R> headerRule(Rule<R> rule) {
            headerRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Step 8. */
        public Builder<R> finalCheck(FinalCheck<R> check) {
            requireUnset(finalCheck, "finalCheck");
            finalCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        public ValidationPipeline<R> build() {
            return new ValidationPipeline<>(this);
        }

        private static void requireUnset(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
        }
    }
}
