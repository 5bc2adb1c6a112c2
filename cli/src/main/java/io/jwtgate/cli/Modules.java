package io.jwtgate.cli;

import io.jwtgate.access.AccessModule;
import io.jwtgate.authrequest.AuthRequestModule;
import io.jwtgate.charset.CharsetModule;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.geo.GeoModule;
import io.jwtgate.gzip.GunzipModule;
import io.jwtgate.gzip.GzipModule;
import io.jwtgate.jwt.JwtModule;
import io.jwtgate.limitconn.LimitConnModule;
import io.jwtgate.limitreq.LimitReqModule;
import io.jwtgate.map.MapModule;
import io.jwtgate.metrics.MetricsModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.realip.RealIpModule;
import io.jwtgate.splitclients.SplitClientsModule;
import io.jwtgate.staticfiles.StaticModule;
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
     * <p>The order, and what it gives in the phases where several modules take part (docs/limits.md#phase-order):
     * <ol>
     *   <li>{@code CoreModules.create()}: the rewrite module ({@code return}, {@code set}, {@code if},
     *       {@code rewrite}), {@code add_header}, {@code access_log};</li>
     *   <li>{@code AccessModule}: {@code allow}/{@code deny}, the first access check;</li>
     *   <li>{@code MapModule}, {@code GeoModule}, {@code SplitClientsModule}: {@code map}, {@code geo},
     *       {@code split_clients};</li>
     *   <li>{@code ProxyModules}: {@code resolver}, {@code upstream}, then {@code proxy_pass},
     *       {@code proxy_cache};</li>
     *   <li>{@code RealIpModule}: {@code set_real_ip_from}, {@code real_ip_header}, {@code real_ip_recursive}
     *       (first in preaccess, so that every later check and limit sees the client's address);</li>
     *   <li>{@code JwtModule}: {@code jwt_*} (a {@code jwt_phase preaccess} check runs before the limits, so that
     *       they can be keyed by a claim; an access-phase check runs after {@code allow}/{@code deny});</li>
     *   <li>{@code LimitReqModule}: {@code limit_req_zone}, {@code limit_req};</li>
     *   <li>{@code LimitConnModule}: {@code limit_conn_zone}, {@code limit_conn} (after {@code limit_req}, as in
     *       nginx, so that a request delayed or refused by a rate never holds a connection slot);</li>
     *   <li>{@code AuthRequestModule}: {@code auth_request}, {@code auth_request_set} (its access check runs after
     *       the JWT check, docs/auth_request.md);</li>
     *   <li>{@code GunzipModule}, {@code CharsetModule}, {@code GzipModule}: their header filters run after
     *       {@code add_header}'s (the filters run in registration order), gunzip's, charset's, then gzip's, as
     *       nginx's filter order has them (docs/gzip.md, docs/charset.md);</li>
     *   <li>{@code MetricsModule}: {@code metrics}, {@code stub_status} (their content handlers before the static
     *       module's; its log-phase request counts, docs/operations.md#metrics);</li>
     *   <li>{@code StaticModule}: {@code root}, {@code alias}, {@code index}, {@code try_files}, {@code types}...
     *       (last: its content handler serves every location no other module answers, as nginx's static module,
     *       with the {@code .gz} gzip's {@code gzip_static} asks for; its range filter is the last header filter,
     *       as nginx's, docs/static.md).</li>
     * </ol>
     */
    public static List<HttpModule> create() {
        List<HttpModule> modules = new ArrayList<>(CoreModules.create());
        modules.add(new AccessModule());
        modules.add(new MapModule());
        modules.add(new GeoModule());
        modules.add(new SplitClientsModule());
        modules.addAll(ProxyModules.create());
        modules.add(new RealIpModule());
        modules.add(new JwtModule());
        modules.add(new LimitReqModule());
        modules.add(new LimitConnModule());
        modules.add(new AuthRequestModule());
        GzipModule gzip = new GzipModule();
        modules.add(new GunzipModule(gzip));
        modules.add(new CharsetModule());
        modules.add(gzip);
        modules.add(new MetricsModule());
        modules.add(new StaticModule(gzip));
        return List.copyOf(modules);
    }
}
