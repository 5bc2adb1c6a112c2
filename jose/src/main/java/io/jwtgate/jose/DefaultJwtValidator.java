package io.jwtgate.jose;

import io.jwtgate.jose.claims.ClaimRule;
import io.jwtgate.jose.claims.RevocationList;
import io.jwtgate.jose.claims.StandardClaims;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;

/** The step sequence behind {@link JwtValidator}; each step is the public call the gateway uses. */
final class DefaultJwtValidator implements JwtValidator {

    private final JwsParser parser;
    private final SignatureVerifier verifier; // null: signature validation off
    private final List<KeySet> keys;
    private final boolean validateExp;
    private final long leewaySeconds;
    private final InstantSource clock;
    private final Set<String> issuers;
    private final Set<String> audiences;
    private final List<ClaimRule> claimRules;
    private final List<ClaimRule> headerRules;
    private final RevocationList revokedSubs;
    private final RevocationList revokedKids;

    DefaultJwtValidator(JwsParser parser, SignatureVerifier verifier, List<KeySet> keys, boolean validateExp,
            long leewaySeconds, InstantSource clock, Set<String> issuers, Set<String> audiences,
            List<ClaimRule> claimRules, List<ClaimRule> headerRules, RevocationList revokedSubs,
            RevocationList revokedKids) {
        this.parser = parser;
        this.verifier = verifier;
        this.keys = keys;
        this.validateExp = validateExp;
        this.leewaySeconds = leewaySeconds;
        this.clock = clock;
        this.issuers = issuers;
        this.audiences = audiences;
        this.claimRules = claimRules;
        this.headerRules = headerRules;
        this.revokedSubs = revokedSubs;
        this.revokedKids = revokedKids;
    }

    @Override
    public Validation validate(CharSequence token) {
        JwsResult parsed = parser.parse(token);
        if (!parsed.isOk()) {
            return Validation.rejected(null, parsed.reason());
        }
        Jws jws = parsed.jws();
        Reason r = check(jws);
        return r == null ? Validation.valid(jws) : Validation.rejected(jws, r);
    }

    private Reason check(Jws jws) {
        Reason r;
        if (verifier != null && (r = verifier.verify(jws, keys)) != null) {
            return r;
        }
        if (revokedSubs != null && (r = revokedSubs.checkSub(jws.payload())) != null) {
            return r;
        }
        if (revokedKids != null && (r = revokedKids.checkKid(jws.kid())) != null) {
            return r;
        }
        long now = clock.instant().getEpochSecond();
        if ((r = StandardClaims.checkTime(jws.payload(), now, leewaySeconds, validateExp)) != null) {
            return r;
        }
        if (issuers != null && (r = StandardClaims.checkIssuer(jws.payload(), issuers)) != null) {
            return r;
        }
        if (audiences != null && (r = StandardClaims.checkAudience(jws.payload(), audiences)) != null) {
            return r;
        }
        for (int i = 0; i < claimRules.size(); i++) {
            if (!claimRules.get(i).test(jws.payload())) {
                return Reason.CLAIM_REQUIREMENT_FAILED;
            }
        }
        for (int i = 0; i < headerRules.size(); i++) {
            if (!headerRules.get(i).test(jws.header())) {
                return Reason.HEADER_REQUIREMENT_FAILED;
            }
        }
        return null;
    }
}
