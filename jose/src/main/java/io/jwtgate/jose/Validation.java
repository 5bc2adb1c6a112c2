package io.jwtgate.jose;

/**
 * Immutable outcome of {@link JwtValidator#validate}: the validated token, or the first reason it
 * failed. A token that decoded but failed a later check still carries its {@link Jws} (for logging
 * its {@code kid} and {@code sub}); check {@link #isValid()} before trusting it.
 */
public final class Validation {

    private final Jws jws;
    private final Reason reason;

    private Validation(Jws jws, Reason reason) {
        this.jws = jws;
        this.reason = reason;
    }

    static Validation valid(Jws jws) {
        return new Validation(jws, null);
    }

    static Validation rejected(Jws jws, Reason reason) {
        return new Validation(jws, reason);
    }

    /** True if every check passed. */
    public boolean isValid() {
        return reason == null;
    }

    /** The decoded token; {@code null} only if the token did not decode. */
    public Jws jws() {
        return jws;
    }

    /** The first failed check; {@code null} when {@link #isValid()}. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return isValid() ? "Validation[valid " + jws + "]" : "Validation[" + reason + "]";
    }
}
