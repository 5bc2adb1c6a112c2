package io.jwtgate.jwt;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.Variables;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.SignatureVerifier;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The JWT module (docs/jwt.md), laid out as an nginx module: its slots (the per-level {@link JwtConf}, the http-wide
 * {@link Main}, the per-request {@link Authentication}), the directive table ({@link JwtDirectives}), the variables
 * ({@link JwtVariables}) and post-configuration, which checks every location's keys, gives a notice where a
 * {@code return} answers before the check (docs/jwt.md#jwt_phase) and registers one PREACCESS and one ACCESS
 * {@link JwtPhaseHandler}. The module object is a stateless definition: besides its slots it holds only
 * constants (the clock and the crypto provider it was made with); what one configuration load owns lives in
 * {@link Main}.
 *
 * <p>{@code jwt_key_request} (docs/jwt.md#jwt_key_request) fetches keys through in-process subrequests
 * ({@link KeyFetch}); when a token names a {@code kid} no source knows, the sources are asked once more with
 * {@code $jwt_key_refresh} set to 1, at most once per {@code jwt_key_refresh_interval} per source. With
 * {@code jwt_key_request_prefetch on} the sources are fetched once before the configuration serves
 * ({@link KeyPrefetch}, a warm-up).
 */
public final class JwtModule extends HttpModule {

    /** What one configuration load owns, http-wide. */
    static final class Main {
        /** Revocation files shared by every level that names them, so that one watcher polls each file once. */
        final Map<Path, RevocationSource> revocation = new LinkedHashMap<>();
        /** Every {@code jwt_key_request} source of this configuration, for the metrics. */
        final List<KeyRequest> keySources = new ArrayList<>();
        /** {@code jwt_token_cache}: bytes, 0 for off, {@code null} for the default. */
        Long tokenCacheBytes;
        /** The verified-token cache of this configuration, or {@code null} when off; set in post-configuration. */
        TokenCache tokenCache;
        /** Bounds identical log lines of this configuration; set in post-configuration. */
        LogLimiter logLimiter;
        /** This configuration's series of the module's metrics; set in post-configuration. */
        JwtMetrics metrics;
    }

    /** Slot of {@link LogLimiter} for failed key sources; the slots before it are {@link Reason} ordinals. */
    static final int KEY_SOURCE_FAILED = Reason.values().length;

    final LocSlot<JwtConf.Draft, JwtConf> conf;
    final MainSlot<Main> main;
    final RequestSlot<Authentication> state;

    private final InstantSource clock;
    /** Verifies signatures with the module's crypto provider. */
    final SignatureVerifier verifier;
    private final JwtVariables variables;
    private final JwtDirectives directives;

    /** The module with the system clock and {@link CryptoProvider#preferred()}. */
    public JwtModule() {
        this(InstantSource.system(), CryptoProvider.preferred());
    }

    /** The module with an explicit clock (tests) and crypto provider. */
    public JwtModule(InstantSource clock, CryptoProvider crypto) {
        super("jwt");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(crypto, "crypto");
        this.verifier = SignatureVerifier.create(crypto);
        this.conf = locSlot(LocSlot.of(JwtConf.Draft::new, (parent, draft) -> JwtConf.merge(parent, draft, clock)));
        this.main = mainSlot(MainSlot.of(Main::new));
        this.state = requestSlot(RequestSlot.Scope.KEPT_ON_REDIRECT);
        this.variables = new JwtVariables(conf, state, clock);
        this.directives = new JwtDirectives(conf, main, crypto, variables);
    }

    @Override
    public List<Directive> directives() {
        return directives.table();
    }

    @Override
    public void preconfiguration(Variables v) {
        variables.define(v);
    }

    @Override
    public void postconfiguration(HttpInit init) throws ConfException {
        Set<List<Object>> targetsSeen = new HashSet<>();
        Set<ConfDirective> noticed = new HashSet<>();
        Main m = init.main(main);
        m.metrics = new JwtMetrics(init.metrics());
        m.keySources.forEach(m.metrics::keySource);
        Map<List<Object>, KeyPrefetch.Target> prefetched = new LinkedHashMap<>();
        for (LocationConf lc : init.locations()) {
            JwtConf c = lc.get(conf);
            // once per location: an if block's pseudo-location has its location's directive
            if (c.validates() && init.contentOrigin(lc) == ContentOrigin.REWRITE_PHASE && noticed.add(lc.where())) {
                init.notice(lc.where(), "\"return\" answers before the JWT check of this location: requests here "
                        + "are not authenticated");
            }
            if (c.validates() && c.validateSig && c.keys.isEmpty() && c.keyRequests.length == 0) {
                String reason = "no key for JWT validation in location \"" + lc.name()
                        + "\": add jwt_secret \"<secret>\", jwt_key_file or jwt_key_request, "
                        + "or set jwt_validate_sig off";
                ConfDirective d = lc.where();
                throw d == null ? new ConfException(reason) : new ConfException(reason, d.file(), d.line());
            }
            if (c.validates() && c.validateSig) {
                for (KeyRequest k : c.keyRequests) {
                    k.checkTarget(init, lc, targetsSeen);
                    if (c.keyPrefetch) {
                        prefetch(init, lc, k, prefetched);
                    }
                }
            }
        }
        if (!prefetched.isEmpty()) {
            init.addWarmUp(new KeyPrefetch(new ArrayList<>(prefetched.values())));
        }
        long cacheBytes = m.tokenCacheBytes == null ? TokenCache.DEFAULT_BYTES : m.tokenCacheBytes;
        m.tokenCache = cacheBytes > 0 ? new TokenCache(cacheBytes, clock, m.metrics.cacheStats()) : null;
        if (m.tokenCache != null) {
            m.metrics.tokenCache(m.tokenCache);
        }
        m.logLimiter = new LogLimiter(KEY_SOURCE_FAILED + 1, System::nanoTime);
        if (!m.revocation.isEmpty()) {
            init.addLifecycle(new RevocationWatcher(new ArrayList<>(m.revocation.values())));
        }
        init.addHandler(Phase.PREACCESS, new JwtPhaseHandler(this, true));
        init.addHandler(Phase.ACCESS, new JwtPhaseHandler(this, false));
    }

    /**
     * Adds {@code k}, used by {@code lc} with {@code jwt_key_request_prefetch on}, to the sources to fetch before
     * the configuration serves, once per source and target location; a URI with variables cannot be fetched without
     * a request, which makes the configuration wrong (docs/jwt.md#jwt_key_request_prefetch).
     */
    private static void prefetch(HttpInit init, LocationConf lc, KeyRequest k,
            Map<List<Object>, KeyPrefetch.Target> prefetched) throws ConfException {
        if (!k.uri.isConstant()) {
            throw k.where.error("\"jwt_key_request_prefetch on\" in location \"%s\" cannot fetch \"%s\" before "
                    + "a request: its URI has variables", lc.name(), k);
        }
        prefetched.putIfAbsent(List.of(k, init.subrequestTarget(lc, k.uri.constant())),
                new KeyPrefetch.Target(lc, k));
    }
}
