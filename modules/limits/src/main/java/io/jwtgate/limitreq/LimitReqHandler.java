package io.jwtgate.limitreq;

import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.limits.ZoneOutcomes;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code PREACCESS} handler, nginx's {@code ngx_http_limit_req_handler}: each {@code limit_req} of the location
 * in order, the request accounted in every zone only once all of them accept it, rejected by the first that does not,
 * delayed by the longest delay any of them asks for (docs/limits.md#limit_req).
 *
 * <p>A client request is limited once: internal redirects and subrequests that come through here again pass
 * without a lookup once {@code $limit_req_status} is stored in it, as nginx tests {@code r->main->limit_req_status}.
 * The status is stored as that variable's value of the client request because internal redirects keep variables and
 * clear module state.
 */
final class LimitReqHandler implements PhaseHandler {

    // the same logger as the core's per-request errors, so error_log settings apply alike
    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    static final String PASSED = "PASSED";
    static final String DELAYED = "DELAYED";
    static final String REJECTED = "REJECTED";
    static final String DELAYED_DRY_RUN = "DELAYED_DRY_RUN";
    static final String REJECTED_DRY_RUN = "REJECTED_DRY_RUN";
    /** {@code $limit_req_status}'s values, by the index a zone counts them at ({@link ZoneOutcomes}). */
    static final String[] OUTCOMES = {PASSED, DELAYED, REJECTED, DELAYED_DRY_RUN, REJECTED_DRY_RUN};

    private static final int NO_KEY = -1;

    private final LimitReqModule module;

    LimitReqHandler(LimitReqModule module) {
        this.module = module;
    }

    @Override
    public int handle(HttpExchange x) {
        LimitReqConf conf = x.conf(module.conf);
        Limit[] limits = conf.limits();
        if (limits.length == 0) {
            return DECLINED;
        }
        if (x.get(module.status) != null) {
            return DECLINED; // limited once per client request, as nginx's r->main->limit_req_status
        }
        // the monotonic clock, whose milliseconds are nginx's ngx_current_msec; read once per request
        long now = System.nanoTime();
        RequestZone.Outcome out = new RequestZone.Outcome();
        RequestZone.Entry[] held = limits.length > 1 ? new RequestZone.Entry[limits.length] : null;
        int rc = NO_KEY;
        int n;
        Limit limit = null;
        for (n = 0; n < limits.length; n++) {
            limit = limits[n];
            RequestZone zone = limit.zone().state();
            String key = zone.key().evaluate(x);
            if (key == null) {
                continue;
            }
            rc = zone.lookup(key, limit.burst(), n == limits.length - 1, now, out);
            if (rc != RequestZone.AGAIN) {
                break;
            }
            held[n] = out.entry;
        }
        if (rc == NO_KEY) {
            return DECLINED;
        }
        boolean dryRun = conf.settings().dryRun();
        if (rc == RequestZone.BUSY || rc == RequestZone.ERROR) {
            if (rc == RequestZone.BUSY) {
                line(conf.settings().logLevel(), x, "limiting requests{}, excess: {} by zone \"{}\"", dryRun,
                        out.excess, limit);
            }
            release(limits, held, n);
            decided(x, limit, dryRun ? REJECTED_DRY_RUN : REJECTED);
            return dryRun ? DECLINED : conf.settings().status();
        }
        long excess = rc == RequestZone.AGAIN ? 0 : out.excess;
        long delay = excess <= limit.delay() ? 0 : (excess - limit.delay()) * 1000 / limit.zone().state().rate();
        // as ngx_http_limit_req_account: the held entries, last first; the longest delay names the zone
        while (n-- > 0) {
            RequestZone.Entry e = held == null ? null : held[n];
            if (e == null) {
                continue;
            }
            RequestZone zone = limits[n].zone().state();
            long ex = zone.account(e, now);
            if (ex <= limits[n].delay()) {
                continue;
            }
            long d = (ex - limits[n].delay()) * 1000 / zone.rate();
            if (d > delay) {
                delay = d;
                excess = ex;
                limit = limits[n];
            }
        }
        if (delay == 0) {
            decided(x, limit, PASSED);
            return DECLINED;
        }
        line(conf.delayLevel(), x, "delaying request{}, excess: {}, by zone \"{}\"", dryRun, excess, limit);
        if (dryRun) {
            decided(x, limit, DELAYED_DRY_RUN);
            return DECLINED;
        }
        decided(x, limit, DELAYED);
        // a timer of the request's event loop; a client that goes away meanwhile ends the request (499) and the
        // cleanup stops the timer, as nginx watches the connection while it waits
        ScheduledFuture<?> wait = x.schedule(() -> x.resume(DECLINED), delay, TimeUnit.MILLISECONDS);
        x.onRequestEnd(() -> wait.cancel(false));
        return ASYNC;
    }

    /**
     * Sets {@code $limit_req_status} to {@code outcome}, one of {@link #OUTCOMES}, and counts it for the zone that
     * decided (with several limits, the one that rejected, or that set the longest delay, or else the last one).
     */
    private void decided(HttpExchange x, Limit limit, String outcome) {
        x.set(module.status, outcome);
        int i = 0;
        while (OUTCOMES[i] != outcome) { // one of the constants: the same object
            i++;
        }
        limit.zone().state().outcomes().count(i);
    }

    /** Lets go of the entries held for the limits before the {@code n}th, which rejected the request. */
    private static void release(Limit[] limits, RequestZone.Entry[] held, int n) {
        for (int i = 0; held != null && i < n; i++) {
            if (held[i] != null) {
                limits[i].zone().state().release(held[i]);
            }
        }
    }

    private static void line(ErrorLogLevel level, HttpExchange x, String format, boolean dryRun, long excess,
            Limit limit) {
        if (level.isEnabled(log)) {
            level.at(log).log(format + "{}", dryRun ? ", dry run" : "", excess / 1000 + "." + thousandths(excess),
                    limit.zone().name(), ErrorContext.of(x));
        }
    }

    private static String thousandths(long excess) {
        long t = excess % 1000;
        return t < 10 ? "00" + t : t < 100 ? "0" + t : Long.toString(t);
    }
}
