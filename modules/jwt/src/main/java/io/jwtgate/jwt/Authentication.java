package io.jwtgate.jwt;

import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.Response;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.JwsResult;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.ValidationPipeline;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's authentication, kept in the module's {@link io.jwtgate.core.http.RequestSlot}: the token, the
 * location's {@link JwtConf}, the keys it is checked against, the verdict, and what the variables read, so that a
 * phase that runs again does not validate twice (docs/jwt.md#validation-order).
 *
 * <p>The checks themselves are the location's {@link ValidationPipeline}; this object supplies the steps that are
 * the gateway's own (docs/jwt.md#validation-order): the token from its source (step 1), the verified-token cache
 * that stands in for decoding and the signature of a token it has seen ({@link TokenCache}), the keys fetched by
 * {@code jwt_key_request} before the signature ({@link KeyFetch}), the signature against this request's keys
 * ({@link #checkSignature}, the pipeline's signature step) and {@code jwt_require} ({@link #checkRequirements}, its
 * final step). Rejections are values: nothing here throws on bad input.
 *
 * <p>Every rejection is logged once, at {@code jwt_log_level} ({@link Reason#KEYS_UNAVAILABLE} at error), with the
 * reason, the kid and alg when known and the client address, no claim and never the token; identical lines are
 * bounded by the configuration's {@link LogLimiter} (docs/jwt.md#jwt_log_level).
 */
final class Authentication {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.jwt");

    /** The configuration the verdict is reached for; {@code null} in the marker of a forced-refresh subrequest. */
    final JwtConf conf;
    private final JwtModule module;
    private final HttpExchange x;
    private final JwtModule.Main main;

    /** The token text as extracted, for the verified-token cache. */
    private String token;
    /** What the verified-token cache knew about this token when the request started, or {@code null}. */
    private TokenCache.Entry cached;
    /** The decoded token, once it decoded (header variables are readable from then on); else {@code null}. */
    private Jws jws;
    /** The key sets the signature is checked against: the location's own, then the fetched ones. */
    private List<KeySet> keys;
    /** Every key source asked failed and the location has no other key: a missing key is then answered 503. */
    private boolean keysUnavailable;

    /** Whether validation has finished. */
    private boolean done;
    /** Why the request was rejected; {@code null} while validating and when it passed. */
    private Reason reason;
    /** The status to end the request with; 0 when it passed. */
    private int status;
    /** The response to send with {@link #status}; {@code null} when it passed. */
    private Response response;

    /** True once every check except {@code jwt_require} passed: claim variables are readable from then on. */
    private boolean claimsVisible;
    /** {@code $jwt_claims}, rendered on first use. */
    private String claimsJson;
    /** Set in a key subrequest that is a forced refresh: {@code $jwt_key_refresh} is 1 there. */
    private final boolean keyRefresh;

    Authentication(JwtModule module, HttpExchange x, JwtConf conf) {
        this.module = module;
        this.x = x;
        this.conf = conf;
        this.main = x.main(module.main);
        this.keyRefresh = false;
    }

    /** The state a forced-refresh key subrequest starts with: it only marks the subrequest, nothing is validated. */
    private Authentication() {
        this.module = null;
        this.x = null;
        this.conf = null;
        this.main = null;
        this.keyRefresh = true;
    }

    // ---- the flow

    /**
     * Validates the request's token. Returns true when the verdict is in; false when keys are being fetched
     * ({@code jwt_key_request}), in which case the phases are resumed with {@link #verdict()} once it is.
     */
    boolean start() {
        Reason r = decode();
        if (r != null || !conf.validateSig || conf.keyRequests.length == 0) {
            finish(r != null ? r : check(conf.keys));
            return true;
        }
        KeyFetch.Fetched fetched = KeyFetch.start(this, conf.keyRequests, false, f -> {
            if (afterFetch(f, false)) {
                resume();
            }
        });
        return fetched != null && afterFetch(fetched, false);
    }

    /** {@link PhaseHandler#OK}, or the failure status with its response prepared. */
    int verdict() {
        if (status == 0) {
            return PhaseHandler.OK;
        }
        x.prepareResponse(status, response);
        return status;
    }

    private void resume() {
        x.resume(verdict());
    }

    /**
     * Steps 1 and 2: the token from its source, decoded under the input limits, or as the verified-token cache
     * remembers it.
     */
    private Reason decode() {
        String t = conf.extractor.extract(x);
        if (t == null) {
            return Reason.NO_TOKEN;
        }
        token = t;
        TokenCache cache = conf.validateSig ? tokenCache() : null;
        if (cache != null) {
            TokenCache.Entry e = cache.get(t);
            if (e != null) {
                cached = e;
                jws = e.jws();
                return null;
            }
        }
        JwsResult parsed = conf.pipeline.decode(t);
        if (!parsed.isOk()) {
            return parsed.reason();
        }
        jws = parsed.jws();
        return null;
    }

    /**
     * Continues with the fetched key sets. When the token names a kid that no source knows, asks the sources once
     * more with {@code $jwt_key_refresh} = 1 (each at most once per {@code jwt_key_refresh_interval}). Returns true
     * when the verdict is in without waiting.
     */
    private boolean afterFetch(KeyFetch.Fetched result, boolean refreshed) {
        List<KeySet> fetched = result.keys();
        List<KeySet> all = all(conf.keys, fetched);
        // only a kid unknown to sources that answered is worth a refresh; sources that failed are not asked again
        if (!refreshed && !fetched.isEmpty() && unknownKid(jws.kid(), all)) {
            KeyRequest[] due = refreshable(conf);
            if (due.length > 0) {
                List<KeySet> first = fetched;
                KeyFetch.Fetched again = KeyFetch.start(this, due, true, f -> {
                    afterFetch(new KeyFetch.Fetched(merge(first, f.keys()), false), true);
                    resume();
                });
                if (again == null) {
                    return false;
                }
                fetched = merge(fetched, again.keys());
                all = all(conf.keys, fetched);
            }
        }
        keysUnavailable = result.unavailable() && conf.keys.isEmpty();
        finish(check(all));
        return true;
    }

    private static List<KeySet> all(List<KeySet> fixed, List<KeySet> fetched) {
        if (fixed.isEmpty()) {
            return fetched;
        }
        List<KeySet> all = new ArrayList<>(fixed);
        all.addAll(fetched);
        return all;
    }

    /** Fresh answers first: a refreshed source replaces nothing, it is simply tried before the older answers. */
    private static List<KeySet> merge(List<KeySet> older, List<KeySet> fresh) {
        List<KeySet> out = new ArrayList<>(fresh);
        out.addAll(older);
        return out;
    }

    private static boolean unknownKid(String kid, List<KeySet> sets) {
        if (kid == null) {
            return false;
        }
        for (KeySet k : sets) {
            if (!k.withKid(kid).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static KeyRequest[] refreshable(JwtConf c) {
        List<KeyRequest> due = new ArrayList<>();
        for (KeyRequest k : c.keyRequests) {
            if (k.tryRefresh(c.keyRefreshIntervalNanos)) {
                due.add(k);
            }
        }
        return due.toArray(new KeyRequest[0]);
    }

    /** Steps 3 to 8, the location's pipeline, with the signature checked against {@code keys}. */
    private Reason check(List<KeySet> keys) {
        this.keys = keys;
        return conf.pipeline.check(this, jws);
    }

    private void finish(Reason r) {
        done = true;
        main.metrics.verdict(r);
        if (r == null) {
            return;
        }
        reason = r;
        if (r == Reason.KEYS_UNAVAILABLE) {
            status = 503;
            response = Failures.UNAVAILABLE;
        } else if (status == 0) {
            status = 401;
            response = conf.responses[r.ordinal()];
        }
        logRejection(r);
    }

    // ---- the pipeline's extension points (JwtConf builds the pipeline with them)

    /**
     * The signature step: the verdict from the cache when it was reached with these very key sets, else computed and
     * offered to the cache.
     */
    Reason checkSignature(Jws decoded) {
        TokenCache.Entry e = cached;
        if (e != null && e.matches(keys)) {
            return e.rejection();
        }
        Reason r = module.verifier.verify(decoded, keys);
        if (r == Reason.NO_USABLE_KEY && keysUnavailable) {
            // not the token's fault: a client told 401 would drop its token and log in again
            return Reason.KEYS_UNAVAILABLE;
        }
        TokenCache cache = tokenCache();
        if (cache != null && (r == null || r == Reason.BAD_SIGNATURE)) {
            cache.put(token, decoded, keys, r);
        }
        return r;
    }

    /** The final step, {@code jwt_require}: its first failing directive decides the status. */
    Reason checkRequirements(Jws decoded) {
        // From here on claim variables are readable, so that jwt_require can test them.
        claimsVisible = true;
        Requirement[] reqs = conf.requirements;
        for (int i = 0; i < reqs.length; i++) {
            if (!reqs[i].test(x)) {
                status = reqs[i].status();
                response = conf.requirementResponses[i];
                return Reason.REQUIREMENT_FAILED;
            }
        }
        return null;
    }

    // ---- what key fetching and the variables read

    HttpExchange exchange() {
        return x;
    }

    /** Bounds the log lines of this configuration. */
    LogLimiter logLimiter() {
        return main.logLimiter;
    }

    /** Marks a key subrequest as a forced refresh ({@code $jwt_key_refresh} = 1 there). */
    void markKeyRefresh(HttpExchange sub) {
        sub.set(module.state, new Authentication());
    }

    /** The decoded token, or {@code null} before it decoded: header variables read it. */
    Jws jws() {
        return jws;
    }

    /** The decoded token when claim variables may read it (every check except {@code jwt_require} passed). */
    Jws validated() {
        return claimsVisible ? jws : null;
    }

    /** {@code $jwt_claims}: the payload as compact JSON, once validated; {@code null} before. */
    String claimsJson() {
        if (!claimsVisible) {
            return null;
        }
        if (claimsJson == null) {
            claimsJson = jws.payload().toString();
        }
        return claimsJson;
    }

    /** {@code $jwt_key_refresh}. */
    boolean isKeyRefresh() {
        return keyRefresh;
    }

    /** {@code $jwt_status}: {@code ok}, the reason's word, or {@code null} before validation ended. */
    String statusWord() {
        if (!done) {
            return null;
        }
        return reason == null ? "ok" : reason.word();
    }

    private TokenCache tokenCache() {
        return main == null ? null : main.tokenCache;
    }

    /**
     * Logs a rejection once, at {@code jwt_log_level} ({@link Reason#KEYS_UNAVAILABLE}, an outage, at error), through
     * the configuration's {@link LogLimiter}; nothing is computed for a line that is not written.
     */
    private void logRejection(Reason r) {
        ErrorLogLevel level = r == Reason.KEYS_UNAVAILABLE ? ErrorLogLevel.ERROR : conf.logLevel;
        if (!level.isEnabled(log)) {
            return;
        }
        int suppressed = main.logLimiter.acquire(r.ordinal());
        if (suppressed == LogLimiter.SUPPRESS) {
            return;
        }
        if (suppressed > 0) {
            level.at(log).log("jwt: {} similar lines suppressed ({})", suppressed, r.word());
        }
        // of the token only its kid and alg: claims are the user's data, and nothing unverified beyond these
        String kid = jws == null ? null : jws.kid();
        String alg = jws == null ? null : jws.alg();
        InetSocketAddress client = x.remoteAddress();
        String addr = client == null ? "-" : client.getAddress() == null ? client.getHostString()
                : client.getAddress().getHostAddress();
        level.at(log).log("jwt: {} ({}), status {}, kid {}, alg {}, client {}", r.text(), r.word(), status,
                Failures.printable(kid), Failures.printable(alg), addr);
    }
}
