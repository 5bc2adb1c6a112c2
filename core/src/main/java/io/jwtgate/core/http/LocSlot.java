package io.jwtgate.core.http;

import io.jwtgate.core.conf.ConfException;
import java.util.function.Supplier;

/**
 * A module's configuration at the http, server and location levels, nginx's {@code loc_conf}. While the
 * configuration is read each level that uses one of the module's directives gets a mutable draft {@code D}
 * ({@code ConfContext.loc}); afterwards the core merges down the tree into immutable values {@code R}, which handlers
 * read with {@code HttpExchange.conf(slot)}. A level that sets nothing shares its parent's value, so merging costs
 * nothing where nothing changes.
 *
 * @param <D> the mutable draft, with explicit unset fields
 * @param <R> the merged, immutable configuration
 */
public final class LocSlot<D, R> extends Slot {

    /** Resolves a draft against its parent's merged value (or {@code null} at the top) into a merged value. */
    @FunctionalInterface
    public interface Merger<D, R> {
        R merge(R parent, D draft) throws ConfException;
    }

    private final Supplier<D> create;
    private final Merger<D, R> merger;
    private final boolean shareUnset;

    private LocSlot(Supplier<D> create, Merger<D, R> merger, boolean shareUnset) {
        this.create = create;
        this.merger = merger;
        this.shareUnset = shareUnset;
    }

    public static <D, R> LocSlot<D, R> of(Supplier<D> create, Merger<D, R> merger) {
        return new LocSlot<>(create, merger, true);
    }

    /**
     * A slot whose merge runs at every level, even one that sets nothing, for settings that are not simply inherited
     * (nginx's {@code proxy_pass} does not pass from a location to its nested locations). An {@code if} block that
     * sets nothing of the slot still shares its location's value, as nginx's pseudo-locations inherit everything.
     */
    public static <D, R> LocSlot<D, R> mergedAtEveryLevel(Supplier<D> create, Merger<D, R> merger) {
        return new LocSlot<>(create, merger, false);
    }

    /** Whether a level that sets nothing simply shares its parent's merged value. */
    public boolean sharesUnset() {
        return shareUnset;
    }

    public D create() {
        return create.get();
    }

    public R merge(R parent, D draft) throws ConfException {
        return merger.merge(parent, draft);
    }
}
