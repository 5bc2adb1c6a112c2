/**
 * Claim handling after the signature: claim paths ({@link io.jwtgate.jose.claims.ClaimPath}), rules
 * ({@link io.jwtgate.jose.claims.ClaimRule}), standard time/issuer/audience checks
 * ({@link io.jwtgate.jose.claims.StandardClaims}), revocation lists
 * ({@link io.jwtgate.jose.claims.RevocationList}) and variable rendering
 * ({@link io.jwtgate.jose.claims.ClaimValues}).
 *
 * <p>Everything is compiled at configuration time and evaluated per request without exceptions;
 * checks return a {@link io.jwtgate.jose.Reason} or {@code null} when they pass. Time is always a
 * parameter, never read from the clock inside a check. Non-null by default.
 */
package io.jwtgate.jose.claims;
