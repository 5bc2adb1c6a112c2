package io.jwtgate.core.http;

/**
 * A typed position in one of the arrays a loaded configuration or a request lays out for its modules: location
 * configurations ({@link LocSlot}), http-wide configurations ({@link MainSlot}) and per-request state
 * ({@link RequestSlot}). A module declares its slots when it is constructed; the module registry numbers them once
 * per process, so that every configuration loaded later (reloads too) uses the same layout.
 */
public abstract class Slot {

    private int index = -1;

    Slot() {
    }

    /** The position of this slot; assigned once, when its module is registered. */
    public final int index() {
        return index;
    }

    /** Numbers this slot; called by the module registry only, once. */
    public final void bind(int position) {
        if (index != -1) {
            throw new IllegalStateException("slot is registered twice");
        }
        index = position;
    }
}
