package io.jwtgate.moduletest;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.SubrequestOptions;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.Variables;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A module written against the public module interface only that makes subrequests
 * ({@code HttpExchange.subrequest}): {@code probe <uri> [maxBody];} runs a subrequest in the rewrite phase (which
 * subrequests run too, so they nest), waits for it asynchronously and exposes its result as
 * {@code $probe} = {@code status|body|complete|type}; {@code probe_deny} denies in the access phase, which
 * subrequests skip. {@code probe_warm_up <uri>;} runs the same subrequest from a detached request before the
 * configuration serves (a warm-up) and adds {@code status|body|thread} to {@code $probe_warm_up}.
 */
public final class ProbeModule extends HttpModule {
    record Probe(String uri, int max) {
    }

    static final class Draft {
        Probe probe;
        boolean deny;
        String warmUp;
    }

    record Conf(Probe probe, boolean deny, String warmUp) {
    }

    /** What the warm-ups of one configuration got, in the order they answered. */
    static final class Main {
        final Queue<String> warmedUp = new ConcurrentLinkedQueue<>();
    }

    private final LocSlot<Draft, Conf> slot = locSlot(LocSlot.mergedAtEveryLevel(Draft::new,
            (p, d) -> new Conf(d.probe, d.deny, d.warmUp)));
    private final MainSlot<Main> main = mainSlot(MainSlot.of(Main::new));

    private final RequestSlot<SubrequestResult> result = requestSlot();

    public ProbeModule() {
        super("probe");
    }

    @Override
    public List<Directive> directives() {
        return List.of(
                Directive.of("probe", Directive.httpServerLocation(), Arity.TAKE12, (cx, d) ->
                        cx.loc(slot).probe = new Probe(d.arg(0),
                                d.args().size() > 1 ? Integer.parseInt(d.arg(1)) : 1 << 20)),
                Directive.of("probe_deny", Directive.httpServerLocation(), Arity.NONE, (cx, d) ->
                        cx.loc(slot).deny = true),
                Directive.of("probe_warm_up", Directive.httpServerLocation(), Arity.TAKE1, (cx, d) ->
                        cx.loc(slot).warmUp = d.arg(0)));
    }

    @Override
    public void preconfiguration(Variables v) {
        v.define("probe", (x, d) -> {
            SubrequestResult r = x.get(result);
            return r == null ? "none" : r.status() + "|" + new String(r.body(), StandardCharsets.UTF_8) + "|"
                    + r.complete() + "|" + r.header("content-type");
        }, null, 0);
        v.define("probe_warm_up", (x, d) -> String.join(",", x.main(main).warmedUp), null, 0);
    }

    @Override
    public void postconfiguration(HttpInit init) {
        // in the rewrite phase, ahead of the rewrite module's (registered after this module): return reads $probe
        init.addHandler(Phase.REWRITE, this::probe);
        init.addHandler(Phase.ACCESS, x -> x.conf(slot).deny() ? 403 : PhaseHandler.DECLINED);
        Main m = init.main(main);
        for (LocationConf lc : init.locations()) {
            String uri = lc.get(slot).warmUp();
            if (uri != null) {
                init.addWarmUp(requests -> {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    requests.subrequest(lc, uri, SubrequestOptions.keepBody(1 << 20), sub -> { }, r -> {
                        m.warmedUp.add(r.status() + "|" + new String(r.body(), StandardCharsets.UTF_8) + "|"
                                + Thread.currentThread().getName());
                        done.complete(null);
                    });
                    return done;
                });
            }
        }
    }

    private int probe(HttpExchange x) {
        Conf c = x.conf(slot);
        if (c.probe() == null) {
            return PhaseHandler.DECLINED;
        }
        // no state to give the subrequest
        x.subrequest(c.probe().uri(), SubrequestOptions.keepBody(c.probe().max()), sub -> { }, r -> {
            x.set(result, r);
            x.resume(PhaseHandler.DECLINED);
        });
        return PhaseHandler.ASYNC;
    }
}
