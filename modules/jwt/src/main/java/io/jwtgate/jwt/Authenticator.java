package io.jwtgate.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.JwsParser;
import io.jwtgate.jose.JwsResult;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.SignatureVerifier;
import io.jwtgate.jose.claims.StandardClaims;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of spec section 7 in order, over a location's immutable {@link JwtConf}, and records the verdict
 * in the request's {@link JwtState}. Rejections are values: nothing here throws on bad input.
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
 * <p>Every rejection is logged once, at info ({@link Reason#NO_USABLE_KEY} at error), with the reason, the kid, the
 * sub when known and the client address, never the token.
 */
final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.jwt");

    private final JwsParser parser;
    private final SignatureVerifier verifier;
    private final InstantSource clock;

    Authenticator(JwsParser parser, SignatureVerifier verifier, InstantSource clock) {
        this.parser = parser;
        this.verifier = verifier;
        this.clock = clock;
    }

    /** Current time in whole seconds, as the checks and {@code $jwt_nowtime} see it. */
    long nowSeconds() {
        return Math.floorDiv(clock.millis(), 1000L);
    }

    /** Validates the request's token; on return {@code st.done} is true and the verdict is recorded. */
    void authenticate(JwtConf c, HttpExchange x, JwtState st) {
        Reason r = check(c, x, st);
        st.done = true;
        if (r == null) {
            return;
        }
        st.reason = r;
        if (st.status == 0) {
            st.status = 401;
            st.response = c.responses[r.ordinal()];
        }
        logRejection(x, st, r);
    }

    private Reason check(JwtConf c, HttpExchange x, JwtState st) {
        String token = c.extractor.extract(x);
        if (token == null) {
            return Reason.NO_TOKEN;
        }
        JwsResult parsed = parser.parse(token);
        if (!parsed.isOk()) {
            return parsed.reason();
        }
        Jws jws = parsed.jws();
        st.jws = jws;
        if (c.validateSig) {
            Reason r = verifier.verify(jws, c.keys);
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

    private static void logRejection(HttpExchange x, JwtState st, Reason r) {
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
        if (r == Reason.NO_USABLE_KEY) {
            log.error("jwt: {}, status {}, kid {}, sub {}, client {}", r.text(), st.status,
                    Failures.printable(kid), Failures.printable(sub), addr);
        } else if (log.isInfoEnabled()) {
            log.info("jwt: {}, status {}, kid {}, sub {}, client {}", r.text(), st.status,
                    Failures.printable(kid), Failures.printable(sub), addr);
        }
    }
}
