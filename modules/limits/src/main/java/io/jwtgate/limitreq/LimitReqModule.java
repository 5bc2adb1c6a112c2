package io.jwtgate.limitreq;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Metrics;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.Variables;
import io.jwtgate.limits.LimitKey;
import io.jwtgate.limits.LimitSettings;
import io.jwtgate.limits.ZoneOutcomes;
import io.jwtgate.limits.ZoneParameter;
import io.jwtgate.limits.ZoneRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code limit_req_zone}, {@code limit_req}, {@code limit_req_status}, {@code limit_req_log_level},
 * {@code limit_req_dry_run} and {@code $limit_req_status}, nginx's {@code ngx_http_limit_req_module}
 * (docs/limits.md#limit_req). The zones of a configuration live in its {@link #main} slot; the handler
 * ({@link LimitReqHandler}) runs in the {@link Phase#PREACCESS} phase.
 */
public final class LimitReqModule extends HttpModule {

    /** The zones of one configuration, and where requests keep {@code $limit_req_status}. */
    static final class Main {
        final ZoneRegistry<RequestZone> zones = new ZoneRegistry<>();
    }

    final MainSlot<Main> main = mainSlot(MainSlot.of(Main::new));
    /** {@code $limit_req_status} of the client request, nginx's {@code r->main->limit_req_status}. */
    final RequestSlot<String> status = requestSlot(RequestSlot.Scope.WHOLE_REQUEST);
    final LocSlot<LimitReqConf.Draft, LimitReqConf> conf = locSlot(LocSlot.of(LimitReqConf.Draft::new,
            LimitReqConf::merge));

    public LimitReqModule() {
        super("limit_req");
    }

    // ---- directives

    @Override
    public List<Directive> directives() {
        List<Directive> list = new ArrayList<>(List.of(
                Directive.of("limit_req_zone", EnumSet.of(Context.HTTP), new Arity(3, 4), this::zone),
                Directive.of("limit_req", Directive.httpServerLocation(), Arity.TAKE123, this::limit)));
        list.addAll(LimitSettings.directives("limit_req", conf, d -> d.settings));
        return List.copyOf(list);
    }

    /** {@code limit_req_zone key zone=name:size rate=Nr/s|Nr/m}. */
    private void zone(ConfContext cx, ConfDirective d) throws ConfException {
        if (d.args().contains("sync")) {
            // nginx 1.22 knows no such parameter; nginx Plus shares such zones between servers
            throw d.error("the \"sync\" parameter is not supported: a zone is shared by the event loops of one "
                    + "jwtgate process, not between processes");
        }
        if (d.args().size() != 3) {
            throw d.error("invalid number of arguments in \"%s\" directive", d.name());
        }
        ComplexValue key = cx.compile(d, d.arg(0));
        ZoneParameter zone = null;
        long rate = 1;
        long scale = 1;
        for (String a : d.args().subList(1, 3)) {
            if (ZoneParameter.is(a)) {
                zone = ZoneParameter.parse(d, a);
            } else if (a.startsWith("rate=")) {
                String n = a.substring("rate=".length());
                scale = 1;
                if (n.endsWith("r/s")) {
                    n = n.substring(0, n.length() - 3);
                } else if (n.endsWith("r/m")) {
                    n = n.substring(0, n.length() - 3);
                    scale = 60;
                }
                rate = positive(n);
                if (rate <= 0) {
                    throw d.error("invalid rate \"%s\"", a);
                }
            } else {
                throw d.error("invalid parameter \"%s\"", a);
            }
        }
        if (zone == null || zone.name().isEmpty()) {
            throw d.error("\"%s\" must have \"zone\" parameter", d.name());
        }
        RequestZone state = new RequestZone(zone.name(), zone.size(),
                new LimitKey(key, RequestZone.MAX_KEY_BYTES), rate * 1000 / scale);
        cx.main(main).zones.declare(d, zone, key.raw(), state);
    }

    /** {@code limit_req zone=name [burst=N] [nodelay | delay=N]}. */
    private void limit(ConfContext cx, ConfDirective d) throws ConfException {
        ZoneRegistry.Zone<RequestZone> zone = null;
        long burst = 0;
        long delay = 0;
        for (String a : d.args()) {
            if (ZoneParameter.is(a)) {
                zone = cx.main(main).zones.use(ZoneParameter.referenceName(a));
            } else if (a.startsWith("burst=")) {
                burst = positive(a.substring("burst=".length()));
                if (burst <= 0) {
                    throw d.error("invalid burst value \"%s\"", a);
                }
            } else if (a.startsWith("delay=")) {
                delay = positive(a.substring("delay=".length()));
                if (delay <= 0) {
                    throw d.error("invalid delay value \"%s\"", a);
                }
            } else if (a.equals("nodelay")) {
                delay = Limit.NODELAY / 1000;
            } else {
                throw d.error("invalid parameter \"%s\"", a);
            }
        }
        if (zone == null) {
            throw d.error("\"%s\" must have \"zone\" parameter", d.name());
        }
        List<Limit> limits = cx.loc(conf).limits();
        for (Limit l : limits) {
            if (l.zone() == zone) {
                throw d.error("\"%s\" directive is duplicate", d.name());
            }
        }
        limits.add(new Limit(zone, burst * 1000, delay * 1000));
    }

    /** nginx's {@code ngx_atoi}: digits only; -1 when empty, not a number or too large to count in thousandths. */
    private static long positive(String digits) {
        return ConfValues.digits(digits, 15);
    }

    // ---- init

    @Override
    public void preconfiguration(Variables variables) {
        variables.define("limit_req_status", this::statusVariable, null, Variables.NOCACHE);
    }

    @Override
    public void postconfiguration(HttpInit init) throws ConfException {
        Main m = init.main(main);
        m.zones.checkDeclared();
        Metrics.Family<Counter> outcomes = init.metrics().counter("jwtgate_limit_req_requests_total",
                "Requests limit_req decided on, by zone and outcome ($limit_req_status)", "zone", "outcome");
        m.zones.forEachState((name, zone) -> zone.outcomes(new ZoneOutcomes(outcomes, name,
                LimitReqHandler.OUTCOMES)));
        init.addHandler(Phase.PREACCESS, new LimitReqHandler(this));
    }

    // ---- variables

    /**
     * {@code $limit_req_status}: what the handler decided for the client request (its subrequests read the same);
     * not found before it decided.
     */
    private String statusVariable(HttpExchange x, Object data) {
        return x.get(status);
    }
}
