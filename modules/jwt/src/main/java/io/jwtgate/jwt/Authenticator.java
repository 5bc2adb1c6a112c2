package io.jwtgate.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.JwsParser;
import io.jwtgate.jose.JwsResult;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.SignatureVerifier;
import io.jwtgate.jose.claims.StandardClaims;
import io.jwtgate.jose.KeySet;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of docs/jwt.md#validation-order in order, over a location's immutable {@link JwtConf}, and
 * records the verdict in the request's {@link JwtState}. Rejections are values: nothing here throws on bad input.
 *
 * <ol>
 *   <li>token present (extractor), decodes under the input limits ({@link JwsParser});</li>
 *   <li>signature, unless {@code jwt_validate_sig off} ({@link SignatureVerifier}, optionally through the
 *       {@link TokenCache});</li>
 *   <li>revocation lists; {@code exp}/{@code nbf} with leeway; issuer; audience;</li>
 *   <li>{@code jwt_require_claim}, then {@code jwt_require_header}, in configuration order;</li>
 *   <li>{@code jwt_require}, whose first failing directive decides the status.</li>
 * </ol>
 *
 * <p>Every rejection is logged once, at {@code jwt_log_level} ({@link Reason#KEYS_UNAVAILABLE} at error), with the
 * reason, the kid, the sub when known and the client address, never the token; identical lines are bounded by a
 * {@link LogLimiter}.
 */
final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.jwt");

    private final JwsParser parser;
    private final SignatureVerifier verifier;
    private final InstantSource clock;
    private final JwtModule module;

    Authenticator(JwtModule module, JwsParser parser, SignatureVerifier verifier, InstantSource clock) {
        this.module = module;
        this.parser = parser;
        this.verifier = verifier;
        this.clock = clock;
    }

    /** Current time in whole seconds, as the checks and {@code $jwt_nowtime} see it. */
    long nowSeconds() {
        return Math.floorDiv(clock.millis(), 1000L);
    }

    /**
     * Validates the request's token and records the verdict in {@code st}. Returns true when the verdict is in;
     * false when keys are being fetched ({@code jwt_key_request}), in which case {@code resume} runs on the
     * request's event loop once it is.
     */
    boolean authenticate(JwtConf c, HttpExchange x, JwtState st, JwtModule module, Runnable resume) {
        Reason r = decode(c, x, st);
        if (r != null || !c.validateSig || c.keyRequests.length == 0) {
            finish(c, x, st, r != null ? r : verifyAndCheck(c, x, st, c.keys));
            return true;
        }
        KeyFetch.Fetched fetched = KeyFetch.start(x, c.keyRequests, false, module, f -> {
            if (afterFetch(c, x, st, module, f, false, resume)) {
                resume.run();
            }
        });
        return fetched != null && afterFetch(c, x, st, module, fetched, false, resume);
    }

    /**
     * Continues with the fetched key sets. When the token names a kid that no source knows, asks the sources once
     * more with {@code $jwt_key_refresh} = 1 (each at most once per {@code jwt_key_refresh_interval}). Returns true
     * when the verdict is in without waiting.
     */
    private boolean afterFetch(JwtConf c, HttpExchange x, JwtState st, JwtModule module, KeyFetch.Fetched result,
            boolean refreshed, Runnable resume) {
        List<KeySet> fetched = result.keys();
        List<KeySet> all = all(c.keys, fetched);
        // only a kid unknown to sources that answered is worth a refresh; sources that failed are not asked again
        if (!refreshed && !fetched.isEmpty() && unknownKid(st.jws.kid(), all)) {
            KeyRequest[] due = refreshable(c);
            if (due.length > 0) {
                List<KeySet> first = fetched;
                KeyFetch.Fetched again = KeyFetch.start(x, due, true, module, f -> {
                    afterFetch(c, x, st, module, new KeyFetch.Fetched(merge(first, f.keys()), false), true, resume);
                    resume.run();
                });
                if (again == null) {
                    return false;
                }
                fetched = merge(fetched, again.keys());
                all = all(c.keys, fetched);
            }
        }
        st.fetchedKeys = fetched;
        st.keysUnavailable = result.unavailable() && c.keys.isEmpty();
        finish(c, x, st, verifyAndCheck(c, x, st, all));
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

    private void finish(JwtConf c, HttpExchange x, JwtState st, Reason r) {
        st.done = true;
        if (r == null) {
            return;
        }
        st.reason = r;
        if (r == Reason.KEYS_UNAVAILABLE) {
            st.status = 503;
            st.response = Failures.UNAVAILABLE;
        } else if (st.status == 0) {
            st.status = 401;
            st.response = c.responses[r.ordinal()];
        }
        logRejection(c, x, st, r);
    }

    /** The token from its source, decoded under the input limits (or as the verified-token cache remembers it). */
    private Reason decode(JwtConf c, HttpExchange x, JwtState st) {
        String token = c.extractor.extract(x);
        if (token == null) {
            return Reason.NO_TOKEN;
        }
        st.token = token;
        TokenCache cache = c.validateSig ? cache(x) : null;
        if (cache != null) {
            TokenCache.Entry e = cache.get(token);
            if (e != null) {
                st.cached = e;
                st.jws = e.jws();
                return null;
            }
        }
        JwsResult parsed = parser.parse(token);
        if (!parsed.isOk()) {
            return parsed.reason();
        }
        st.jws = parsed.jws();
        return null;
    }

    /** The signature against {@code keys}, then every claim check in the documented order. */
    private Reason verifyAndCheck(JwtConf c, HttpExchange x, JwtState st, List<KeySet> keys) {
        Jws jws = st.jws;
        if (c.validateSig) {
            Reason r = signature(x, st, keys);
            if (r != null) {
                return r;
            }
        }
        ObjectNode payload = jws.payload();
        for (RevocationSource s : c.subLists) {
            Reason r = s.current().checkSub(payload);
            if (r != null) {
                return r;
            }
        }
        for (RevocationSource s : c.kidLists) {
            Reason r = s.current().checkKid(jws.kid());
            if (r != null) {
                return r;
            }
        }
        Reason r = StandardClaims.checkTime(payload, nowSeconds(), c.leeway, c.validateExp);
        if (r != null) {
            return r;
        }
        if (c.issuers != null && (r = StandardClaims.checkIssuer(payload, c.issuers)) != null) {
            return r;
        }
        if (c.audiences != null && (r = StandardClaims.checkAudience(payload, c.audiences)) != null) {
            return r;
        }
        for (ClaimCheck k : c.claimChecks) {
            if (!k.test(payload, x)) {
                return Reason.CLAIM_REQUIREMENT_FAILED;
            }
        }
        ObjectNode header = jws.header();
        for (ClaimCheck k : c.headerChecks) {
            if (!k.test(header, x)) {
                return Reason.HEADER_REQUIREMENT_FAILED;
            }
        }
        // From here on claim variables are readable, so that jwt_require can test them.
        st.claimsVisible = true;
        Requirement[] reqs = c.requirements;
        for (int i = 0; i < reqs.length; i++) {
            if (!reqs[i].test(x)) {
                st.status = reqs[i].status();
                st.response = c.requirementResponses[i];
                return Reason.REQUIREMENT_FAILED;
            }
        }
        return null;
    }

    /** The signature verdict: from the cache when it was reached with these very key sets, else computed. */
    private Reason signature(HttpExchange x, JwtState st, List<KeySet> keys) {
        TokenCache.Entry e = st.cached;
        if (e != null && e.matches(keys)) {
            return e.rejection();
        }
        Reason r = verifier.verify(st.jws, keys);
        if (r == Reason.NO_USABLE_KEY && st.keysUnavailable) {
            // not the token's fault: a client told 401 would drop its token and log in again
            return Reason.KEYS_UNAVAILABLE;
        }
        TokenCache cache = cache(x);
        if (cache != null && (r == null || r == Reason.BAD_SIGNATURE)) {
            cache.put(st.token, st.jws, keys, r);
        }
        return r;
    }

    private TokenCache cache(HttpExchange x) {
        JwtModule.Main m = x.main(module.main);
        return m == null ? null : m.tokenCache;
    }

    /**
     * Logs a rejection once, at {@code jwt_log_level} ({@link Reason#KEYS_UNAVAILABLE}, an outage, at error), through
     * the configuration's {@link LogLimiter}; nothing is computed for a line that is not written.
     */
    private void logRejection(JwtConf c, HttpExchange x, JwtState st, Reason r) {
        ErrorLogLevel level = r == Reason.KEYS_UNAVAILABLE ? ErrorLogLevel.ERROR : c.logLevel;
        if (!level.isEnabled(log)) {
            return;
        }
        int suppressed = x.main(module.main).logLimiter.acquire(r.ordinal());
        if (suppressed == LogLimiter.SUPPRESS) {
            return;
        }
        if (suppressed > 0) {
            level.at(log).log("jwt: {} similar lines suppressed ({})", suppressed, r.text());
        }
        String kid = null;
        String sub = null;
        if (st.jws != null) {
            kid = st.jws.kid();
            JsonNode s = st.jws.payload().get("sub");
            sub = s != null && s.isTextual() ? s.textValue() : null;
        }
        InetSocketAddress client = x.remoteAddress();
        String addr = client == null ? "-" : client.getAddress() == null ? client.getHostString()
                : client.getAddress().getHostAddress();
        level.at(log).log("jwt: {}, status {}, kid {}, sub {}, client {}", r.text(), st.status,
                Failures.printable(kid), Failures.printable(sub), addr);
    }
}
