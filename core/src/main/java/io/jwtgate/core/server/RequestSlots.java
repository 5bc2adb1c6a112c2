package io.jwtgate.core.server;

import io.jwtgate.core.http.RequestSlot;
import java.util.Arrays;

/**
 * A request's module state by {@link RequestSlot}, nginx's module contexts: the request's own, cleared by internal
 * redirects and named locations, and those the redirects keep, made when the first is set. Whole-request slots live
 * in the client request's kept ones, which its subrequests share.
 */
final class RequestSlots {

    private final Object[] own;
    /** The state of slots kept on internal redirects; made when the first is set. */
    private Object[] kept;

    RequestSlots(int count) {
        this.own = new Object[count];
    }

    /** The state of {@code slot}, or {@code null}; {@code main} holds the client request's. */
    @SuppressWarnings("unchecked") // set(slot, state, main) stores only a T at the slot's index
    <T> T get(RequestSlot<T> slot, RequestSlots main) {
        Object[] values = values(slot.scope(), main, false);
        return values == null ? null : (T) values[slot.index()];
    }

    <T> void set(RequestSlot<T> slot, T state, RequestSlots main) {
        values(slot.scope(), main, true)[slot.index()] = state;
    }

    /** An internal redirect or a named location: the request's own state goes, the kept stays. */
    void redirected() {
        Arrays.fill(own, null);
    }

    /** The array that holds a slot of {@code scope}; {@code null} for a kept one not made yet unless {@code make}. */
    private Object[] values(RequestSlot.Scope scope, RequestSlots main, boolean make) {
        switch (scope) {
            case REQUEST:
                return own;
            case KEPT_ON_REDIRECT:
                return kept(make);
            default: // WHOLE_REQUEST
                return main.kept(make);
        }
    }

    private Object[] kept(boolean make) {
        if (kept == null && make) {
            kept = new Object[own.length];
        }
        return kept;
    }
}
