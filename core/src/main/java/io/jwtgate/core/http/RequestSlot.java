package io.jwtgate.core.http;

/**
 * A module's state for one request, nginx's {@code ngx_http_get_module_ctx}: read and written with
 * {@link HttpExchange#get(RequestSlot)} and {@link HttpExchange#set(RequestSlot, Object)}, {@code null} until set.
 * How long the state lives is the slot's {@link Scope}.
 *
 * @param <T> the type of the state
 */
public final class RequestSlot<T> extends Slot {

    /** How long a slot's state lives (docs/modules.md#a-module-is-a-stateless-definition). */
    public enum Scope {
        /** This request until an internal redirect or a named location clears it, as nginx's module context. */
        REQUEST,
        /**
         * This request, kept across internal redirects and named locations: the outcome of a check that the rest of
         * the request reads wherever it goes (the JWT check, so that its variables survive an {@code error_page}).
         */
        KEPT_ON_REDIRECT,
        /**
         * One value for the whole client request: its subrequests read and write the client request's, and internal
         * redirects keep it, as nginx's fields of {@code r->main} ({@code limit_conn_status},
         * {@code limit_req_status}) that a module sets once per request.
         */
        WHOLE_REQUEST
    }

    private final Scope scope;

    private RequestSlot(Scope scope) {
        this.scope = scope;
    }

    public static <T> RequestSlot<T> create(Scope scope) {
        return new RequestSlot<>(scope);
    }

    public Scope scope() {
        return scope;
    }
}
