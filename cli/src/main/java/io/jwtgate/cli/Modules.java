package io.jwtgate.cli;

import io.jwtgate.access.AccessModule;
import io.jwtgate.authrequest.AuthRequestModule;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jwt.JwtModule;
import io.jwtgate.map.MapModule;
import io.jwtgate.proxy.ProxyModules;
import java.util.ArrayList;
import java.util.List;

/** The one place that lists the modules a jwtgate process runs. */
public final class Modules {

    private Modules() {
    }

    /**
     * Every module, in handler order (the order their phase handlers run in, and the order content handlers are
     * tried). A module is a stateless definition whose slots are numbered when it is registered: the process creates
     * the list once and loads every configuration (reloads and {@code -t} too) with it (docs/modules.md).
     *
     * <p>The order:
     * <ol>
     *   <li>{@code CoreModules.create()}: the rewrite module ({@code return}, {@code set}, {@code if},
     *       {@code rewrite}), {@code add_header}, {@code access_log};</li>
     *   <li>{@code AccessModule}: {@code allow}/{@code deny};</li>
     *   <li>{@code MapModule}: {@code map};</li>
     *   <li>{@code ProxyModules}: {@code upstream}, then {@code proxy_pass}, {@code proxy_cache};</li>
     *   <li>{@code JwtModule}: {@code jwt_*};</li>
     *   <li>{@code AuthRequestModule}: {@code auth_request}, {@code auth_request_set} (its access check runs after
     *       the JWT check, docs/auth_request.md).</li>
     * </ol>
     */
    public static List<HttpModule> create() {
        List<HttpModule> modules = new ArrayList<>(CoreModules.create());
        modules.add(new AccessModule());
        modules.add(new MapModule());
        modules.addAll(ProxyModules.create());
        modules.add(new JwtModule());
        modules.add(new AuthRequestModule());
        return List.copyOf(modules);
    }
}
