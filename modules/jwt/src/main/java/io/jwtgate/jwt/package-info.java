/**
 * The {@code jwt_*} directives: JWT authentication at the edge (see {@code docs/jwt.md}).
 *
 * <p>The module is split the way Envoy's {@code jwt_authn} filter is:
 * <ul>
 *   <li>{@link io.jwtgate.jwt.TokenExtractor}: finds the token (Authorization Bearer, or a variable);</li>
 *   <li>{@link io.jwtgate.jwt.KeyFiles}, {@link io.jwtgate.jwt.KeyRequest}, {@link io.jwtgate.jwt.KeyFetch}: key
 *       sources and revocation lists loaded at configuration time, and keys fetched per request through
 *       subrequests;</li>
 *   <li>the checks are the JOSE library's {@link io.jwtgate.jose.ValidationPipeline} (the order of
 *       docs/jwt.md#validation-order), one per location, built by the immutable, precompiled
 *       {@link io.jwtgate.jwt.JwtConf};</li>
 *   <li>{@link io.jwtgate.jwt.Authentication}: one request's authentication (token, keys, verdict, what the
 *       variables read) and the module's own steps of the pipeline (the verified-token cache, the key fetch,
 *       {@code jwt_require});</li>
 *   <li>{@link io.jwtgate.jwt.Failures}: one {@link io.jwtgate.jose.Reason} decides the status, the challenge, the
 *       JSON body, the log line and {@code $jwt_status}.</li>
 * </ul>
 * {@link io.jwtgate.jwt.JwtModule} ties them to the gateway: its slots, the directive table
 * ({@link io.jwtgate.jwt.JwtDirectives}), the variables ({@link io.jwtgate.jwt.JwtVariables}), post-configuration and
 * the phase handlers ({@link io.jwtgate.jwt.JwtPhaseHandler}).
 *
 * <p>Everything that can be parsed or compiled is done once at configuration time; the request path allocates
 * little and never throws to signal a rejection. Types are non-null unless documented otherwise.
 */
package io.jwtgate.jwt;
