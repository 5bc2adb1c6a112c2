package io.jwtgate.core.module;

import java.util.function.Supplier;

/**
 * A module's http-wide configuration, nginx's {@code main_conf}: things such as {@code upstream} blocks, maps and
 * log formats that exist once per configuration. The object is mutable while the configuration is read and must
 * not change once {@link HttpModule#postconfiguration} has run.
 *
 * @param <M> the module's main configuration type
 */
public final class MainSlot<M> {

    private final Supplier<M> create;
    int index = -1;

    private MainSlot(Supplier<M> create) {
        this.create = create;
    }

    public static <M> MainSlot<M> of(Supplier<M> create) {
        return new MainSlot<>(create);
    }

    public M create() {
        return create.get();
    }

    public int index() {
        return index;
    }
}
