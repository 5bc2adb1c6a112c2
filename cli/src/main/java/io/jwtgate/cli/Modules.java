package io.jwtgate.cli;

import io.jwtgate.access.AccessModule;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jwt.JwtModule;
import io.jwtgate.map.MapModule;
import io.jwtgate.proxy.ProxyModule;
import java.util.ArrayList;
import java.util.List;

/** The one place that lists the modules a jwtgate process runs. */
public final class Modules {

    private Modules() {
    }

    /**
     * New instances of every module, in handler order (the order their phase handlers run in, and the order
     * content handlers are tried). Called once per configuration load, since a module instance belongs to one load.
     *
     * <p>The order:
     * <ol>
     *   <li>{@code CoreModules.create()}: {@code return} (the first content handler), {@code add_header},
     *       {@code access_log};</li>
     *   <li>{@code io.jwtgate.access.AccessModule}: {@code allow}/{@code deny};</li>
     *   <li>{@code io.jwtgate.map.MapModule}: {@code map};</li>
     *   <li>{@code io.jwtgate.proxy.ProxyModule}: {@code proxy_pass}, {@code upstream};</li>
     *   <li>{@code io.jwtgate.jwt.JwtModule}: {@code jwt_*}.</li>
     * </ol>
     */
    public static List<HttpModule> create() {
        List<HttpModule> modules = new ArrayList<>(CoreModules.create());
        modules.add(new AccessModule());
        modules.add(new MapModule());
        modules.add(new ProxyModule());
        modules.add(new JwtModule());
        return List.copyOf(modules);
    }
}
