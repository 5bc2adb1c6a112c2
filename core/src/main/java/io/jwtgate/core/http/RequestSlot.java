package io.jwtgate.core.http;

/**
 * A module's state for one request, nginx's {@code ngx_http_get_module_ctx}: read and written with
 * {@link HttpExchange#get(RequestSlot)} and {@link HttpExchange#set(RequestSlot, Object)}, {@code null} until set.
 * An internal redirect clears every module's state, as nginx does, except that of a {@linkplain #wholeRequest()
 * whole-request} slot.
 *
 * @param <T> the type of the state
 */
public final class RequestSlot<T> extends Slot {

    private final boolean wholeRequest;

    private RequestSlot(boolean wholeRequest) {
        this.wholeRequest = wholeRequest;
    }

    public static <T> RequestSlot<T> create() {
        return new RequestSlot<>(false);
    }

    /** A {@linkplain #wholeRequest() whole-request} slot. */
    public static <T> RequestSlot<T> createWholeRequest() {
        return new RequestSlot<>(true);
    }

    /**
     * Whether the slot holds one value for the whole client request: its subrequests read and write the client
     * request's value, and internal redirects and named locations keep it, as nginx's fields of {@code r->main}
     * ({@code limit_conn_status}, {@code limit_req_status}) that a module sets once per request.
     */
    public boolean wholeRequest() {
        return wholeRequest;
    }
}
