/**
 * The {@code jwt_*} directives: JWT authentication at the edge (see {@code docs/jwt.md}).
 *
 * <p>The module is split the way Envoy's {@code jwt_authn} filter is:
 * <ul>
 *   <li>{@link io.jwtgate.jwt.TokenExtractor}: finds the token (Authorization Bearer, or a variable);</li>
 *   <li>{@link io.jwtgate.jwt.KeyFiles}: key sources and revocation lists, loaded at configuration time;</li>
 *   <li>the verifier is the JOSE library ({@code io.jwtgate.jose});</li>
 *   <li>{@link io.jwtgate.jwt.Authenticator}: the validation order of the specification, over an immutable,
 *       precompiled {@link io.jwtgate.jwt.JwtConf};</li>
 *   <li>{@link io.jwtgate.jwt.Failures}: one {@link io.jwtgate.jose.Reason} decides the status, the challenge, the
 *       JSON body, the log line and {@code $jwt_status}.</li>
 * </ul>
 * {@link io.jwtgate.jwt.JwtModule} ties them to the gateway: directive table, merge, phase handlers, variables.
 *
 * <p>Everything that can be parsed or compiled is done once at configuration time; the request path allocates
 * little and never throws to signal a rejection. Types are non-null unless documented otherwise.
 */
package io.jwtgate.jwt;
