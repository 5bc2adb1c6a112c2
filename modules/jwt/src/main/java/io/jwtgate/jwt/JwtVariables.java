package io.jwtgate.jwt;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.var.Variables;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.claims.ClaimValues;
import java.time.InstantSource;

/**
 * The JWT module's variables (docs/jwt.md#variables): each reads the request's {@link Authentication} (a
 * subrequest without one, its client request's); none is cached, since a value changes as validation goes on (header
 * variables once the token decodes, claim variables once it is validated).
 */
final class JwtVariables {

    /** Flags of the {@code jwt_claim}/{@code jwt_header} variables. */
    static final int DEFINED_FLAGS = Variables.CHANGEABLE | Variables.NOCACHE;

    private final LocSlot<?, JwtConf> conf;
    private final RequestSlot<Authentication> state;
    private final InstantSource clock;

    JwtVariables(LocSlot<?, JwtConf> conf, RequestSlot<Authentication> state, InstantSource clock) {
        this.conf = conf;
        this.state = state;
        this.clock = clock;
    }

    /** The fixed and prefix variables, defined in preconfiguration. */
    void define(Variables v) {
        v.define("jwt_claims", (x, d) -> {
            Authentication a = authentication(x);
            return a == null ? null : a.claimsJson();
        }, null, Variables.NOCACHE);
        v.define("jwt_nowtime", (x, d) -> Long.toString(Math.floorDiv(clock.millis(), 1000L)), null,
                Variables.NOCACHE);
        v.define("jwt_status", (x, d) -> {
            Authentication a = authentication(x);
            return a == null ? null : a.statusWord();
        }, null, Variables.NOCACHE);
        // short names for the log; changeable, so that a configuration's own jwt_claim $jwt_sub ... still works
        v.define("jwt_kid", (x, d) -> topLevel(x, "kid", true), null, DEFINED_FLAGS);
        v.define("jwt_alg", (x, d) -> topLevel(x, "alg", true), null, DEFINED_FLAGS);
        v.define("jwt_sub", (x, d) -> topLevel(x, "sub", false), null, DEFINED_FLAGS);
        v.define("jwt_key_refresh", (x, d) -> {
            Authentication a = x.get(state);
            return a != null && a.isKeyRefresh() ? "1" : "";
        }, null, Variables.NOCACHE);
        v.definePrefix("jwt_claim_", (x, d) -> topLevel(x, (String) d, false), Variables.NOCACHE);
        v.definePrefix("jwt_header_", (x, d) -> topLevel(x, (String) d, true), Variables.NOCACHE);
    }

    /**
     * A {@code jwt_claim}/{@code jwt_header} variable, {@code name} without {@code $}: the definition comes from this
     * request's merged conf.
     */
    String defined(HttpExchange x, Object name) {
        JwtConf.VarDef def = x.conf(conf).vars.get(name);
        Jws jws = def == null ? null : token(x, def.header());
        return jws == null ? null : ClaimValues.render(def.path().resolve(def.header() ? jws.header() : jws.payload()));
    }

    private String topLevel(HttpExchange x, String name, boolean header) {
        Jws jws = token(x, header);
        return jws == null ? null : ClaimValues.render((header ? jws.header() : jws.payload()).get(name));
    }

    /** The token a header variable (once decoded) or a claim variable (once validated) may read, or {@code null}. */
    /**
     * The request's check; a subrequest that has checked no token itself reads its client request's, so that an
     * {@code auth_request} location passes the caller's claims on (docs/jwt.md#variables).
     */
    private Authentication authentication(HttpExchange x) {
        Authentication a = x.get(state);
        return a == null && x.isSubrequest() ? x.mainRequest().get(state) : a;
    }

    private Jws token(HttpExchange x, boolean header) {
        Authentication a = authentication(x);
        return a == null ? null : header ? a.jws() : a.validated();
    }
}
