package io.jwtgate.core.http;

/**
 * A module's state for one request, nginx's {@code ngx_http_get_module_ctx}: read and written with
 * {@link HttpExchange#get(RequestSlot)} and {@link HttpExchange#set(RequestSlot, Object)}, {@code null} until set.
 * An internal redirect clears every module's state, as nginx does.
 *
 * @param <T> the type of the state
 */
public final class RequestSlot<T> extends Slot {

    private RequestSlot() {
    }

    public static <T> RequestSlot<T> create() {
        return new RequestSlot<>();
    }
}
