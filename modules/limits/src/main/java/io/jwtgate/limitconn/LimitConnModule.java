package io.jwtgate.limitconn;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Metrics;
import io.jwtgate.core.var.Variables;
import io.jwtgate.limits.LimitKey;
import io.jwtgate.limits.LimitSettings;
import io.jwtgate.limits.ZoneOutcomes;
import io.jwtgate.limits.ZoneParameter;
import io.jwtgate.limits.ZoneRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code limit_conn_zone}, {@code limit_conn}, {@code limit_conn_status}, {@code limit_conn_log_level},
 * {@code limit_conn_dry_run} and {@code $limit_conn_status}: nginx's {@code ngx_http_limit_conn_module}
 * (docs/limits.md#limit_conn).
 *
 * <p>In the preaccess phase, once per client request (internal redirects and subrequests that come to a limited
 * location again pass), each {@code limit_conn} of the location takes one slot of its key in its zone; the slots
 * go back when the client request ends ({@link HttpExchange#onRequestEnd}). A key at its limit, or a new key in a
 * full zone, rejects the request with {@code limit_conn_status} (503), giving back the slots this request took so
 * far; in dry run the request goes on without slots.
 */
public final class LimitConnModule extends HttpModule {

    // the same logger as the core's per-request errors, so error_log settings apply alike
    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /** nginx keeps a key's length in one byte of the zone's entry. */
    static final int MAX_KEY_BYTES = 255;

    /** The values of {@code $limit_conn_status}. */
    enum Status {
        PASSED, REJECTED, REJECTED_DRY_RUN
    }

    /** One {@code limit_conn zone N}. */
    record Limit(ZoneRegistry.Zone<ConnZone> zone, int conn) {
    }

    /** What one level wrote; {@code limits} is {@code null} when it wrote none. */
    static final class Draft {
        List<Limit> limits;
        final LimitSettings.Draft settings = new LimitSettings.Draft();
    }

    /** The merged configuration of a level. */
    record Conf(List<Limit> limits, LimitSettings settings) {
    }

    /** nginx's merge: a level with {@code limit_conn} of its own replaces its parent's list. */
    final LocSlot<Draft, Conf> conf = locSlot(LocSlot.of(Draft::new, (parent, d) -> new Conf(
            d.limits != null ? List.copyOf(d.limits) : parent != null ? parent.limits() : List.of(),
            LimitSettings.merge(parent != null ? parent.settings() : null, d.settings))));

    /** The zones of one configuration. */
    final MainSlot<ZoneRegistry<ConnZone>> zones = mainSlot(MainSlot.of(ZoneRegistry::new));

    /** nginx's {@code r->main->limit_conn_status}: set once the request was counted, kept across redirects. */
    private final RequestSlot<Status> status = requestSlot(RequestSlot.Scope.WHOLE_REQUEST);

    public LimitConnModule() {
        super("limit_conn");
    }

    // ---- directives

    @Override
    public List<Directive> directives() {
        List<Directive> directives = new ArrayList<>(List.of(
                Directive.of("limit_conn_zone", EnumSet.of(Context.HTTP), Arity.TAKE2, this::zone),
                Directive.of("limit_conn", Directive.httpServerLocation(), Arity.TAKE2, this::limit)));
        directives.addAll(LimitSettings.directives("limit_conn", conf, d -> d.settings));
        return directives;
    }

    private void zone(ConfContext cx, ConfDirective d) throws ConfException {
        LimitKey key = new LimitKey(cx.compile(d, d.arg(0)), MAX_KEY_BYTES);
        if (!ZoneParameter.is(d.arg(1))) {
            throw d.error("invalid parameter \"%s\"", d.arg(1));
        }
        ZoneParameter zone = ZoneParameter.parse(d, d.arg(1));
        if (zone.name().isEmpty()) {
            throw d.error("\"%s\" must have \"zone\" parameter", d.name());
        }
        cx.main(zones).declare(d, zone, key.text(), new ConnZone(zone.name(), key, zone.size()));
    }

    private void limit(ConfContext cx, ConfDirective d) throws ConfException {
        ZoneRegistry.Zone<ConnZone> zone = cx.main(zones).use(d.arg(0));
        Draft draft = cx.loc(conf);
        if (draft.limits == null) {
            draft.limits = new ArrayList<>(1);
        }
        for (Limit l : draft.limits) {
            if (l.zone() == zone) {
                throw d.error("\"%s\" directive is duplicate", d.name());
            }
        }
        int n = ConfValues.number(d.arg(1));
        if (n <= 0) {
            throw d.error("invalid number of connections \"%s\"", d.arg(1));
        }
        if (n > 65535) {
            throw d.error("connection limit must be less 65536");
        }
        draft.limits.add(new Limit(zone, n));
    }

    // ---- init

    @Override
    public void preconfiguration(Variables variables) {
        variables.define("limit_conn_status", (x, data) -> {
            Status s = x.get(status);
            return s == null ? null : s.name();
        }, null, Variables.NOCACHE);
    }

    @Override
    public void postconfiguration(HttpInit init) throws ConfException {
        ZoneRegistry<ConnZone> z = init.main(zones);
        if (z != null) {
            z.checkDeclared();
            Metrics.Family<Counter> outcomes = init.metrics().counter("jwtgate_limit_conn_requests_total",
                    "Requests limit_conn decided on, by zone and outcome ($limit_conn_status)", "zone", "outcome");
            String[] names = Arrays.stream(Status.values()).map(Status::name).toArray(String[]::new);
            z.forEachState((name, zone) -> zone.outcomes(new ZoneOutcomes(outcomes, name, names)));
        }
        init.addHandler(Phase.PREACCESS, this::handle);
    }

    // ---- handler

    private int handle(HttpExchange x) {
        if (x.get(status) != null) {
            return PhaseHandler.DECLINED;
        }
        Conf c = x.conf(conf);
        List<Limit> limits = c.limits();
        if (limits.isEmpty()) {
            return PhaseHandler.DECLINED;
        }
        List<Held> taken = null;
        for (Limit limit : limits) {
            ConnZone zone = limit.zone().state();
            String key = zone.key().evaluate(x);
            if (key == null) {
                continue;
            }
            x.set(status, Status.PASSED);
            ConnZone.Acquired result = zone.acquire(key, limit.conn());
            if (result != ConnZone.Acquired.TAKEN) {
                LimitSettings s = c.settings();
                if (result == ConnZone.Acquired.LIMITED && s.logLevel().isEnabled(log)) {
                    s.logLevel().at(log).log("limiting connections{} by zone \"{}\"{}", s.dryRun() ? ", dry run," : "",
                            zone.name(), ErrorContext.of(x));
                } else if (result == ConnZone.Acquired.NO_ROOM) {
                    zone.logNoRoom();
                }
                if (taken != null) {
                    taken.forEach(Held::release);
                }
                Status rejected = s.dryRun() ? Status.REJECTED_DRY_RUN : Status.REJECTED;
                x.set(status, rejected);
                zone.outcomes().count(rejected.ordinal());
                return s.dryRun() ? PhaseHandler.DECLINED : s.status();
            }
            zone.outcomes().count(Status.PASSED.ordinal());
            Held held = new Held(zone, key);
            // registered at once, so that nothing between here and the end of the request can leak the slot
            x.onRequestEnd(held::release);
            if (taken == null) {
                taken = new ArrayList<>(limits.size());
            }
            taken.add(held);
        }
        return PhaseHandler.DECLINED;
    }

    /** One slot a request took; released once, by the request's end or by a later limit that rejected it. */
    private static final class Held {
        private final ConnZone zone;
        private final String key;
        private boolean released;

        Held(ConnZone zone, String key) {
            this.zone = zone;
            this.key = key;
        }

        void release() {
            if (!released) {
                released = true;
                zone.release(key);
            }
        }
    }
}
