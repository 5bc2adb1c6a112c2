package io.jwtgate.core.http.route;

/**
 * A set of locations nginx would refuse. The message is nginx's reason (without position); {@link #location()} is the
 * offending location, so the caller can append its {@code file:line}.
 */
public final class InvalidLocationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient LocationSpec<?> location;

    InvalidLocationException(String reason, LocationSpec<?> location) {
        super(reason);
        this.location = location;
    }

    /** The location nginx would report the error at. */
    public LocationSpec<?> location() {
        return location;
    }
}
