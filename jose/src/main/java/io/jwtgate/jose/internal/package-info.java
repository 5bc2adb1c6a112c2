/**
 * Internal helpers shared by the JOSE packages: strict base64url, strict JSON and a minimal DER codec.
 *
 * <p><b>Internal use only.</b> These classes are public only so that sibling packages of
 * {@code io.jwtgate.jose} can share them; they are not API and may change without notice.
 */
package io.jwtgate.jose.internal;
