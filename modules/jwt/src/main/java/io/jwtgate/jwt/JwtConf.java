package io.jwtgate.jwt;

import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.Response;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.ValidationPipeline;
import io.jwtgate.jose.claims.ClaimPath;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The merged, immutable JWT configuration of one http, server or location level; handlers read only this. Built by
 * {@link #merge} from the parent's merged value and the level's {@link Draft}, following docs/jwt.md#inheritance:
 *
 * <ul>
 *   <li>enabled/{@code off}, token source, {@code jwt_validate_exp}, {@code jwt_validate_sig}, {@code jwt_leeway},
 *       {@code jwt_phase}, {@code jwt_issuer}, {@code jwt_audience}, {@code jwt_realm}, {@code jwt_log_level},
 *       {@code jwt_key_refresh_interval}, {@code jwt_key_request_prefetch}: the nearest level that sets it
 *       wins;</li>
 *   <li>key sources: the nearest level that declares any key source defines the whole key set;</li>
 *   <li>{@code jwt_require_claim}, {@code jwt_require_header}, {@code jwt_require}, revocation lists: accumulate,
 *       parent entries first;</li>
 *   <li>{@code jwt_claim}, {@code jwt_header} definitions: accumulate, a child's definition of a name wins.</li>
 * </ul>
 */
final class JwtConf {

    /** One level's directives as read, with {@code null} meaning "not set here". */
    static final class Draft {
        Boolean enabled;
        boolean secretSeen;
        TokenExtractor extractor;
        List<KeySet> keys;
        List<KeyRequest> keyRequests;
        Long keyRefreshIntervalMs;
        Boolean keyPrefetch;
        Boolean validateExp;
        Boolean validateSig;
        Long leeway;
        Boolean preaccess;
        Set<String> issuers;
        Set<String> audiences;
        String realm;
        ErrorLogLevel logLevel;
        final List<ClaimCheck> claimChecks = new ArrayList<>();
        final List<ClaimCheck> headerChecks = new ArrayList<>();
        final List<Requirement> requirements = new ArrayList<>();
        final List<RevocationSource> subLists = new ArrayList<>();
        final List<RevocationSource> kidLists = new ArrayList<>();
        final Map<String, VarDef> vars = new LinkedHashMap<>();
        /** Whether a key or token source was declared at this level (for the "off" conflict check). */
        boolean sourceDeclared;
    }

    final boolean enabled;
    final TokenExtractor extractor;
    final List<KeySet> keys;
    /** {@code jwt_key_request} sources, part of the key set (they follow the same nearest-level rule). */
    final KeyRequest[] keyRequests;
    /** {@code jwt_key_refresh_interval} (default 30s), in nanoseconds. */
    final long keyRefreshIntervalNanos;
    /** {@code jwt_key_request_prefetch} (default off): the sources are fetched before the configuration serves. */
    final boolean keyPrefetch;
    final boolean validateExp;
    final boolean validateSig;
    final long leeway;
    final boolean preaccess;
    final Set<String> issuers; // null: no check
    final Set<String> audiences; // null: no check
    final String realm; // null: no realm in the challenge
    /** {@code jwt_log_level} (default {@code info}): the error-log level of rejection lines. */
    final ErrorLogLevel logLevel;
    final ClaimCheck[] claimChecks;
    final ClaimCheck[] headerChecks;
    final Requirement[] requirements;
    final RevocationSource[] subLists;
    final RevocationSource[] kidLists;
    /** {@code jwt_claim}/{@code jwt_header} variables by name (without {@code $}). */
    final Map<String, VarDef> vars;
    /** Pre-encoded 401 responses by {@link Reason#ordinal()}. */
    final Response[] responses;
    /** Pre-encoded responses of each requirement, aligned with {@link #requirements}. */
    final Response[] requirementResponses;
    /** The checks of docs/jwt.md#validation-order with this level's settings; {@code null} where none run. */
    final ValidationPipeline<Authentication> pipeline;

    private JwtConf(JwtConf p, Draft d, InstantSource clock) {
        enabled = d.enabled != null ? d.enabled : p != null && p.enabled;
        extractor = d.extractor != null ? d.extractor : p != null ? p.extractor : TokenExtractor.bearer();
        boolean ownKeys = d.keys != null || d.keyRequests != null;
        keys = ownKeys ? (d.keys == null ? List.of() : List.copyOf(d.keys)) : p != null ? p.keys : List.of();
        keyRequests = ownKeys ? (d.keyRequests == null ? new KeyRequest[0] : d.keyRequests.toArray(new KeyRequest[0]))
                : p != null ? p.keyRequests : new KeyRequest[0];
        keyRefreshIntervalNanos = d.keyRefreshIntervalMs != null ? d.keyRefreshIntervalMs * 1_000_000L
                : p != null ? p.keyRefreshIntervalNanos : 30_000_000_000L;
        keyPrefetch = d.keyPrefetch != null ? d.keyPrefetch : p != null && p.keyPrefetch;
        validateExp = d.validateExp != null ? d.validateExp : p == null || p.validateExp;
        validateSig = d.validateSig != null ? d.validateSig : p == null || p.validateSig;
        leeway = d.leeway != null ? d.leeway : p != null ? p.leeway : 0;
        preaccess = d.preaccess != null ? d.preaccess : p != null && p.preaccess;
        issuers = d.issuers != null ? d.issuers : p != null ? p.issuers : null;
        audiences = d.audiences != null ? d.audiences : p != null ? p.audiences : null;
        realm = d.realm != null ? d.realm : p != null ? p.realm : null;
        logLevel = d.logLevel != null ? d.logLevel : p != null ? p.logLevel : ErrorLogLevel.INFO;
        claimChecks = concat(p == null ? null : p.claimChecks, d.claimChecks, new ClaimCheck[0]);
        headerChecks = concat(p == null ? null : p.headerChecks, d.headerChecks, new ClaimCheck[0]);
        requirements = concat(p == null ? null : p.requirements, d.requirements, new Requirement[0]);
        subLists = concat(p == null ? null : p.subLists, d.subLists, new RevocationSource[0]);
        kidLists = concat(p == null ? null : p.kidLists, d.kidLists, new RevocationSource[0]);
        vars = overlay(p == null ? null : p.vars, d.vars);
        if (!enabled) {
            responses = null;
            requirementResponses = null;
            pipeline = null;
        } else {
            responses = p != null && p.responses != null && Objects.equals(p.realm, realm) ? p.responses
                    : Failures.byReason(realm);
            requirementResponses = new Response[requirements.length];
            for (int i = 0; i < requirements.length; i++) {
                int status = requirements[i].status();
                requirementResponses[i] = status == 401 ? responses[Reason.REQUIREMENT_FAILED.ordinal()]
                        : Failures.response(realm, status, Reason.REQUIREMENT_FAILED);
            }
            pipeline = pipeline(clock);
        }
    }

    /**
     * The location's pipeline: the JOSE checks with this level's settings, and the gateway's own steps from the
     * request's {@link Authentication}: the signature against the request's keys (through the verified-token cache)
     * and {@code jwt_require} last.
     */
    private ValidationPipeline<Authentication> pipeline(InstantSource clock) {
        ValidationPipeline.Builder<Authentication> b = ValidationPipeline.<Authentication>builder()
                .validateExp(validateExp)
                .leeway(leeway)
                .clock(clock)
                .issuers(issuers)
                .audiences(audiences)
                .finalCheck(Authentication::checkRequirements);
        if (validateSig) {
            b.signature(Authentication::checkSignature);
        }
        for (RevocationSource s : subLists) {
            b.revokedSubs(s::current);
        }
        for (RevocationSource s : kidLists) {
            b.revokedKids(s::current);
        }
        for (ClaimCheck k : claimChecks) {
            b.claimRule(k);
        }
        for (ClaimCheck k : headerChecks) {
            b.headerRule(k);
        }
        return b.build();
    }

    /**
     * A {@code jwt_claim} or {@code jwt_header} variable definition.
     *
     * @param path where the value is
     * @param header true for {@code jwt_header} (the JOSE header), false for {@code jwt_claim} (the payload)
     */
    record VarDef(ClaimPath path, boolean header) {
    }

    /**
     * Merges a level's draft into its parent's merged value ({@code null} at the http level); {@code clock} is the
     * module's, which the time checks read.
     */
    static JwtConf merge(JwtConf parent, Draft draft, InstantSource clock) {
        return new JwtConf(parent, draft, clock);
    }

    /** Whether this level validates tokens ({@code jwt_secret} and {@code off}: docs/jwt.md#jwt_secret). */
    boolean validates() {
        return enabled;
    }

    private static <T> T[] concat(T[] parent, List<T> own, T[] empty) {
        if (own.isEmpty()) {
            return parent == null ? empty : parent;
        }
        List<T> all = new ArrayList<>();
        if (parent != null) {
            all.addAll(List.of(parent));
        }
        all.addAll(own);
        return all.toArray(empty);
    }

    private static Map<String, VarDef> overlay(Map<String, VarDef> parent, Map<String, VarDef> own) {
        if (own.isEmpty()) {
            return parent == null ? Map.of() : parent;
        }
        Map<String, VarDef> m = new LinkedHashMap<>();
        if (parent != null) {
            m.putAll(parent);
        }
        m.putAll(own);
        return Map.copyOf(m);
    }
}
