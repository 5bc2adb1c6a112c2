package io.jwtgate.limits;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The zones of one module in one configuration load, nginx's list of shared memory zones
 * ({@code ngx_shared_memory_add}): a zone may be used ({@code limit_req zone=one}) before it is declared
 * ({@code limit_req_zone ... zone=one:10m}), and every zone used must be declared by the end of the load. Keep one
 * in the module's {@code MainSlot}: a zone's state is created with the configuration and lives as long as it, one
 * state for all event loops of the process.
 *
 * <p>Not thread-safe: used while the configuration is read; afterwards only {@link Zone#state()} is read.
 *
 * @param <Z> the module's state of one zone
 */
public final class ZoneRegistry<Z> {

    private final Map<String, Zone<Z>> zones = new LinkedHashMap<>();

    /**
     * Declares the zone {@code zone} with its key ({@code keyText}, as written) and state, with nginx's errors:
     * {@code the size N of shared memory zone "NAME" conflicts with already declared size M} and
     * {@code DIRECTIVE "NAME" is already bound to key "KEY"}.
     */
    public void declare(ConfDirective d, ZoneParameter zone, String keyText, Z state) throws ConfException {
        Zone<Z> z = zones.computeIfAbsent(zone.name(), Zone::new);
        if (z.size != 0 && z.size != zone.size()) {
            throw d.error("the size %d of shared memory zone \"%s\" conflicts with already declared size %d",
                    zone.size(), zone.name(), z.size);
        }
        if (z.state != null) {
            throw d.error("%s \"%s\" is already bound to key \"%s\"", d.name(), zone.name(), z.keyText);
        }
        z.size = zone.size();
        z.keyText = keyText;
        z.state = state;
    }

    /**
     * The zone named {@code name}, declared or not yet: the same object for every use of a name, so that
     * {@code ==} tells the same zone ({@code "limit_req" directive is duplicate}).
     */
    public Zone<Z> use(String name) {
        return zones.computeIfAbsent(name, Zone::new);
    }

    /**
     * Refuses a zone used but never declared, as nginx does when it creates the zones after reading the whole
     * configuration: {@code zero size shared memory zone "NAME"}, without a file and line. Call from
     * post-configuration.
     */
    public void checkDeclared() throws ConfException {
        for (Zone<Z> z : zones.values()) {
            if (z.state == null) {
                throw new ConfException("zero size shared memory zone \"" + z.name + "\"");
            }
        }
    }

    /** Every zone's state, by name; call once {@link #checkDeclared()} passed. */
    public void forEachState(BiConsumer<String, Z> action) {
        zones.forEach((name, z) -> action.accept(name, z.state));
    }

    /**
     * One zone: its name, and once declared its size, key and state.
     *
     * @param <Z> the module's state of one zone
     */
    public static final class Zone<Z> {

        private final String name;
        private long size;
        private String keyText;
        private Z state;

        private Zone(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** The size declared, 0 before. */
        public long size() {
            return size;
        }

        /** The state given at declaration; once {@link ZoneRegistry#checkDeclared()} passed, never {@code null}. */
        public Z state() {
            return state;
        }
    }
}
