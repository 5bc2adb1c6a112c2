package io.jwtgate.core.module;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.var.Variables;
import java.util.ArrayList;
import java.util.List;

/**
 * A module: the directives it owns, its configuration slots, the variables it provides and the handlers it adds,
 * like an nginx {@code ngx_module_t}. The core knows modules only through this class.
 *
 * <p>Lifecycle for each configuration load: {@link #preconfiguration} (declare variables), then the directives'
 * setters while the files are read, then the core merges every {@link LocSlot} down the tree, then
 * {@link #postconfiguration} (add phase handlers, check cross references).
 */
public abstract class HttpModule {

    private final String name;
    private final List<LocSlot<?, ?>> locSlots = new ArrayList<>();
    private final List<MainSlot<?>> mainSlots = new ArrayList<>();
    private final List<RequestSlot<?>> requestSlots = new ArrayList<>();
    boolean registered;

    protected HttpModule(String name) {
        this.name = name;
    }

    public final String name() {
        return name;
    }

    /** Declares a location-level configuration slot; call from the constructor. */
    protected final <D, R> LocSlot<D, R> locSlot(LocSlot<D, R> slot) {
        locSlots.add(slot);
        return slot;
    }

    /** Declares an http-wide configuration slot; call from the constructor. */
    protected final <M> MainSlot<M> mainSlot(MainSlot<M> slot) {
        mainSlots.add(slot);
        return slot;
    }

    /** Declares a slot for per-request state that an internal redirect clears; call from the constructor. */
    protected final <T> RequestSlot<T> requestSlot() {
        return requestSlot(RequestSlot.Scope.REQUEST);
    }

    /** Declares a slot for per-request state that lives as long as {@code scope} says; call from the constructor. */
    protected final <T> RequestSlot<T> requestSlot(RequestSlot.Scope scope) {
        RequestSlot<T> slot = RequestSlot.create(scope);
        requestSlots.add(slot);
        return slot;
    }

    final List<LocSlot<?, ?>> locSlots() {
        return locSlots;
    }

    final List<MainSlot<?>> mainSlots() {
        return mainSlots;
    }

    final List<RequestSlot<?>> requestSlots() {
        return requestSlots;
    }

    /** The directives this module owns. */
    public abstract List<Directive> directives();

    /** Declares the module's variables, before any directive is read. */
    public void preconfiguration(Variables variables) {
    }

    /** Runs after the whole configuration is read and merged: add handlers, resolve references between blocks. */
    public void postconfiguration(HttpInit init) throws ConfException {
    }

    /**
     * Where this module's responses for {@code location} come from, or {@code null} when it does not produce that
     * location's content. Other modules ask through {@link HttpInit#contentOrigin} during post-configuration, so a
     * module never needs to know another one (the JWT module asks about the target of {@code jwt_key_request}).
     */
    public ContentOrigin contentOrigin(LocationConf location) {
        return null;
    }
}
