package io.jwtgate.core.http;

import java.util.function.Supplier;

/**
 * A module's http-wide configuration, nginx's {@code main_conf}: things such as {@code upstream} blocks, maps and
 * log formats that exist once per configuration. The object is mutable while the configuration is read and must
 * not change once {@code HttpModule.postconfiguration} has run.
 *
 * @param <M> the module's main configuration type
 */
public final class MainSlot<M> extends Slot {

    private final Supplier<M> create;

    private MainSlot(Supplier<M> create) {
        this.create = create;
    }

    public static <M> MainSlot<M> of(Supplier<M> create) {
        return new MainSlot<>(create);
    }

    public M create() {
        return create.get();
    }
}
