package io.jwtgate.jose;

/** JWK key types ({@code kty}, docs/jwt.md#jwt_key_file) supported for signature verification. */
public enum KeyType {
    /** RSA public key, for RS* and PS*. */
    RSA("RSA"),
    /** Elliptic-curve public key, for ES* on the matching curve. */
    EC("EC"),
    /** Octet key pair public key, for EdDSA, Ed25519 and Ed448. */
    OKP("OKP"),
    /** Symmetric secret, for HS*. */
    OCT("oct");

    private final String jwkName;

    KeyType(String jwkName) {
        this.jwkName = jwkName;
    }

    /** The {@code kty} value as written in a JWK. */
    public String jwkName() {
        return jwkName;
    }
}
