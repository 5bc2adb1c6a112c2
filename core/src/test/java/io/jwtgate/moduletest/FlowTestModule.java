package io.jwtgate.moduletest;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.Variables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * A module written against the public interface only that drives the request flow from the rewrite phases, as the
 * rewrite module and error pages do:
 * <ul>
 * <li>{@code flow_redirect URI [ARGS];} internal redirect ({@code HttpExchange.internalRedirect});
 * <li>{@code flow_redirect_later URI;} the same from a task on the event loop, after the handler went asynchronous;
 * <li>{@code flow_named NAME;} continue in {@code location @NAME};
 * <li>{@code flow_uri URI [break];} change {@code $uri}, with reroute unless {@code break};
 * <li>{@code flow_if { ... }} an {@code if} block that always holds: its pseudo-location is used;
 * <li>{@code flow_auto_redirect;} the automatic 301 of the location, as {@code proxy_pass} asks for it;
 * <li>{@code flow_echo TEXT;} a content handler answering 200 with {@code TEXT}, inherited as usual (into an
 * {@code flow_if} block too);
 * <li>{@code $flow_mark}: module state set before a redirect, which the redirect must clear.
 * </ul>
 * At server level the action runs in the server rewrite phase, in a location in the rewrite phase.
 */
public final class FlowTestModule extends HttpModule {

    /** One configured action; {@code ifBlock} gives the pseudo-location of {@code flow_if}. */
    record Action(String kind, String arg, ComplexValue args, Supplier<LocationConf> ifBlock) {
    }

    static final class Draft {
        final List<Action> actions = new ArrayList<>();
    }

    /** A level's own actions: nothing passes to nested levels (as the rewrite module's). */
    final LocSlot<Draft, List<Action>> conf = locSlot(LocSlot.mergedAtEveryLevel(Draft::new,
            (parent, d) -> List.copyOf(d.actions)));

    final RequestSlot<String> mark = requestSlot();

    static final class EchoDraft {
        String text;
    }

    final LocSlot<EchoDraft, String> echo = locSlot(LocSlot.of(EchoDraft::new,
            (parent, d) -> d.text != null ? d.text : parent));

    public FlowTestModule() {
        super("flow_test");
    }

    @Override
    public List<Directive> directives() {
        var sl = EnumSet.of(Context.SERVER, Context.LOCATION);
        return List.of(
                Directive.of("flow_redirect", sl, Arity.TAKE12, (cx, d) -> add(cx, d, "redirect")),
                Directive.of("flow_redirect_later", sl, Arity.TAKE1, (cx, d) -> add(cx, d, "later")),
                Directive.of("flow_named", sl, Arity.TAKE1, (cx, d) -> add(cx, d, "named")),
                Directive.of("flow_uri", sl, Arity.TAKE12, (cx, d) -> add(cx, d, "uri")),
                Directive.of("flow_auto_redirect", EnumSet.of(Context.LOCATION), Arity.NONE,
                        (cx, d) -> cx.location().setAutoRedirect()),
                Directive.of("flow_echo", EnumSet.of(Context.LOCATION, Context.IF_LOCATION), Arity.TAKE1,
                        (cx, d) -> cx.loc(echo).text = d.arg(0)),
                Directive.block("flow_if", sl, Arity.NONE, this::ifBlock));
    }

    private void add(ConfContext cx, ConfDirective d, String kind) throws ConfException {
        ComplexValue second = d.args().size() > 1 ? cx.compile(d, d.arg(1)) : null;
        cx.loc(conf).actions.add(new Action(kind, d.arg(0), second, null));
    }

    private void ifBlock(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        Supplier<LocationConf> pseudo = cx.parseIfBlock(d, draft);
        draft.actions.add(new Action("if", null, null, pseudo));
    }

    @Override
    public void preconfiguration(Variables v) {
        v.define("flow_mark", (x, d) -> String.valueOf(x.get(mark)), null, Variables.NOCACHE);
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHandler(Phase.SERVER_REWRITE, this::run);
        // the server's own configuration stands for "no location" here: its actions ran in the server rewrite phase
        init.addHandler(Phase.REWRITE, x -> x.location() == x.server().conf() ? PhaseHandler.DECLINED : run(x));
        init.addHandler(Phase.CONTENT, x -> {
            String text = x.conf(echo);
            if (text == null) {
                return PhaseHandler.DECLINED;
            }
            x.sendResponse(200, new Response("text/plain", text.getBytes(StandardCharsets.UTF_8), List.of()));
            return PhaseHandler.OK;
        });
    }

    private int run(HttpExchange x) {
        for (Action a : x.conf(conf)) {
            switch (a.kind()) {
                case "redirect":
                    x.set(mark, "set before " + x.uri());
                    x.internalRedirect(a.arg(), a.args() == null ? null : a.args().evaluate(x));
                    return PhaseHandler.OK;
                case "later":
                    x.eventLoop().execute(() -> x.internalRedirect(a.arg(), null));
                    return PhaseHandler.ASYNC;
                case "named":
                    x.namedLocation(a.arg());
                    return PhaseHandler.OK;
                case "uri":
                    x.setUri(a.arg(), x.args(), true);
                    if (a.args() != null && "break".equals(a.args().evaluate(x))) {
                        x.cancelReroute();
                        return PhaseHandler.DECLINED;
                    }
                    break;
                default: // if
                    LocationConf pseudo = a.ifBlock().get();
                    if (pseudo != null) {
                        x.useLocation(pseudo);
                    }
                    break;
            }
        }
        return PhaseHandler.DECLINED;
    }
}
