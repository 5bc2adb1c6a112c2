package io.jwtgate.core.http;

/**
 * A module's state for one request, nginx's {@code ngx_http_get_module_ctx}: read and written with
 * {@link HttpExchange#get(RequestSlot)} and {@link HttpExchange#set(RequestSlot, Object)}, {@code null} until set.
 * An internal redirect clears every module's state, as nginx does, except a slot {@link #keptOnRedirect()}.
 *
 * @param <T> the type of the state
 */
public final class RequestSlot<T> extends Slot {

    private final boolean kept;

    private RequestSlot(boolean kept) {
        this.kept = kept;
    }

    public static <T> RequestSlot<T> create() {
        return new RequestSlot<>(false);
    }

    /**
     * A slot whose state an internal redirect ({@code error_page}, a named location) keeps: the outcome of a check
     * that the rest of the request may read, wherever it goes (the JWT check, docs/jwt.md#variables).
     */
    public static <T> RequestSlot<T> keptOnRedirect() {
        return new RequestSlot<>(true);
    }

    /** Whether an internal redirect keeps this slot's state. */
    public boolean isKeptOnRedirect() {
        return kept;
    }
}
