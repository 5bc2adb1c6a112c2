/**
 * JOSE for jwtgate: compact JWS decoding under limits ({@link io.jwtgate.jose.JwsParser}), one
 * algorithm registry ({@link io.jwtgate.jose.Algorithm}), key sources
 * ({@link io.jwtgate.jose.KeySetParser}), key selection and signature verification
 * ({@link io.jwtgate.jose.SignatureVerifier}) through a pluggable
 * {@link io.jwtgate.jose.CryptoProvider}, and a fluent all-in-one
 * {@link io.jwtgate.jose.JwtValidator}. For the command line's tools only: signing
 * ({@link io.jwtgate.jose.JwsSigner}) and PEM keys, key pairs and their JWKs
 * ({@link io.jwtgate.jose.SigningKey}); {@link io.jwtgate.jose.KeyFormat} tells key documents apart.
 *
 * <p>Rejections are values ({@link io.jwtgate.jose.Reason}), never exceptions on the request path.
 * Every type is non-null by default; nullable returns say so in their javadoc. Nothing here
 * depends on Netty.
 */
package io.jwtgate.jose;
