package io.jwtgate.jose;

import io.jwtgate.jose.claims.ClaimRule;
import io.jwtgate.jose.claims.RevocationList;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Validates compact JWS tokens end to end: decode, signature, revocation, {@code exp}/{@code nbf},
 * issuer and audience, claim rules, header rules, through the {@link ValidationPipeline} the gateway runs too (the
 * order of docs/jwt.md#validation-order).
 * Instances are immutable and thread-safe; {@link #validate} never throws on bad input.
 *
 * <pre>{@code
 * JwtValidator v = JwtValidator.builder()
 *     .keys(KeySetParser.jwks(bytes, crypto).keySet())
 *     .crypto(crypto)
 *     .issuers("https://idp.example")
 *     .leeway(Duration.ofSeconds(30))
 *     .requireClaim(ClaimRule.compile("role", "eq", "admin"))
 *     .build();
 * Validation r = v.validate(token);
 * }</pre>
 *
 * <p>The gateway builds a {@link ValidationPipeline} per location instead, because its keys arrive per request and
 * its rules may read the request; this entry point is for fixed keys, tools and tests.
 */
public interface JwtValidator {

    /** Validates {@code token} at the current time of the configured clock. */
    Validation validate(CharSequence token);

    /** A new builder; every option may be set at most once. */
    static Builder builder() {
        return new Builder();
    }

    /** Builds {@link JwtValidator}s. Fails fast on repeated options and conflicting settings. */
    final class Builder {
        private CryptoProvider crypto;
        private final List<KeySet> keys = new ArrayList<>();
        private Boolean validateSignature;
        private Boolean validateExp;
        private Duration leeway;
        private InstantSource clock;
        private Set<String> issuers;
        private Set<String> audiences;
        private final List<ClaimRule> claimRules = new ArrayList<>();
        private final List<ClaimRule> headerRules = new ArrayList<>();
        private RevocationList revokedSubs;
        private RevocationList revokedKids;
        private Integer maxTokenLength;

        Builder() {
        }

        /** The provider that built the keys (default {@link CryptoProvider#preferred()}). */
        public Builder crypto(CryptoProvider crypto) {
            requireUnset(this.crypto, "crypto");
            this.crypto = Objects.requireNonNull(crypto, "crypto");
            return this;
        }

        /** Adds a key source; may be called repeatedly. */
        public Builder keys(KeySet keySet) {
            keys.add(Objects.requireNonNull(keySet, "keySet"));
            return this;
        }

        /** Signature validation (default on). Off accepts any alg, {@code none} included. */
        public Builder validateSignature(boolean on) {
            requireUnset(validateSignature, "validateSignature");
            validateSignature = on;
            return this;
        }

        /** {@code exp} validation (default on). */
        public Builder validateExp(boolean on) {
            requireUnset(validateExp, "validateExp");
            validateExp = on;
            return this;
        }

        /** Clock skew allowed for {@code exp} and {@code nbf} (default 0). */
        public Builder leeway(Duration leeway) {
            requireUnset(this.leeway, "leeway");
            if (leeway.isNegative()) {
                throw new IllegalArgumentException("leeway: " + leeway + " (expected: >= 0)");
            }
            this.leeway = leeway;
            return this;
        }

        /** The time source (default {@link InstantSource#system()}). */
        public Builder clock(InstantSource clock) {
            requireUnset(this.clock, "clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Accepted issuers; {@code iss} must equal one. */
        public Builder issuers(String... issuers) {
            requireUnset(this.issuers, "issuers");
            this.issuers = nonEmpty(List.of(issuers), "issuers");
            return this;
        }

        /** Accepted audiences; {@code aud} must contain one. */
        public Builder audiences(String... audiences) {
            requireUnset(this.audiences, "audiences");
            this.audiences = nonEmpty(List.of(audiences), "audiences");
            return this;
        }

        /** Adds a payload rule with a constant expected value; rules run in the order added. */
        public Builder requireClaim(ClaimRule rule) {
            claimRules.add(constant(rule));
            return this;
        }

        /** Adds a header rule with a constant expected value. */
        public Builder requireHeader(ClaimRule rule) {
            headerRules.add(constant(rule));
            return this;
        }

        /** Revoked {@code sub} values; tokens must then carry a string {@code sub}. */
        public Builder revokedSubs(RevocationList list) {
            requireUnset(revokedSubs, "revokedSubs");
            revokedSubs = Objects.requireNonNull(list, "list");
            return this;
        }

        /** Revoked {@code kid} values; tokens must then carry a {@code kid}. */
        public Builder revokedKids(RevocationList list) {
            requireUnset(revokedKids, "revokedKids");
            revokedKids = Objects.requireNonNull(list, "list");
            return this;
        }

        /** Maximum token length (default {@value JwsParser#DEFAULT_MAX_LENGTH}). */
        public Builder maxTokenLength(int chars) {
            requireUnset(maxTokenLength, "maxTokenLength");
            JwsParser.withMaxLength(chars); // validates
            maxTokenLength = chars;
            return this;
        }

        /**
         * Builds the validator; the builder stays usable.
         *
         * @throws IllegalStateException when signature validation is on without keys, or off with keys
         */
        public JwtValidator build() {
            boolean sig = validateSignature == null || validateSignature;
            boolean anyKey = keys.stream().anyMatch(k -> !k.isEmpty());
            if (sig && !anyKey) {
                throw new IllegalStateException("signature validation needs at least one key");
            }
            if (!sig && !keys.isEmpty()) {
                throw new IllegalStateException("keys given while signature validation is off");
            }
            ValidationPipeline.Builder<Void> p = ValidationPipeline.<Void>builder()
                    .parser(maxTokenLength == null ? JwsParser.create() : JwsParser.withMaxLength(maxTokenLength))
                    .validateExp(validateExp == null || validateExp)
                    .leeway(leeway == null ? 0 : leeway.getSeconds())
                    .clock(clock == null ? InstantSource.system() : clock)
                    .issuers(issuers)
                    .audiences(audiences);
            if (sig) {
                SignatureVerifier verifier =
                        SignatureVerifier.create(crypto != null ? crypto : CryptoProvider.preferred());
                List<KeySet> fixed = List.copyOf(keys);
                p.signature((unused, jws) -> verifier.verify(jws, fixed));
            }
            RevocationList subs = revokedSubs;
            RevocationList kids = revokedKids;
            if (subs != null) {
                p.revokedSubs(() -> subs);
            }
            if (kids != null) {
                p.revokedKids(() -> kids);
            }
            for (ClaimRule rule : claimRules) {
                p.claimRule((unused, document) -> rule.test(document));
            }
            for (ClaimRule rule : headerRules) {
                p.headerRule((unused, document) -> rule.test(document));
            }
            return new DefaultJwtValidator(p.build());
        }

        private static ClaimRule constant(ClaimRule rule) {
            if (rule.isDynamic()) {
                throw new IllegalArgumentException(
                        "rule " + rule + " needs a per-request value; use ClaimRule.test directly");
            }
            return rule;
        }

        private static void requireUnset(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
        }

        private static Set<String> nonEmpty(Collection<String> values, String name) {
            if (values.isEmpty()) {
                throw new IllegalArgumentException(name + ": empty (expected: at least one value)");
            }
            return Set.copyOf(new LinkedHashSet<>(values));
        }
    }
}
