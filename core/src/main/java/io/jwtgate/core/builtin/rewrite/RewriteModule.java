package io.jwtgate.core.builtin.rewrite;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.DirectiveSetter;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * nginx's rewrite module (docs/rewrite.md): {@code set}, {@code if}, {@code rewrite}, {@code break},
 * {@code return}, {@code rewrite_log} and {@code uninitialized_variable_warn}. The directives of a server and of
 * each location compile into one script per level, which runs in the server rewrite phase (before the location is
 * looked up) and in the rewrite phase of the request's location. Scripts are not inherited by nested locations.
 */
public final class RewriteModule extends HttpModule {

    /**
     * A level's merged configuration.
     *
     * @param script its own directives, or {@code null} when it has none
     * @param log {@code rewrite_log}
     * @param warnUninitialized {@code uninitialized_variable_warn}
     * @param serverReturns whether the server's script has a {@code return} outside an {@code if}, which answers
     *     every request of the server before a location is chosen
     */
    record RewriteConf(Op[] script, boolean log, boolean warnUninitialized, boolean serverReturns) {
    }

    static final class Draft {
        List<Op> ops;
        /** Whether {@link #ops} is a server's script. */
        boolean server;
        Boolean log;
        Boolean warnUninitialized;
    }

    /**
     * As nginx's merge: the flags are inherited (off, on), the script never; whether the server's script returns is
     * passed down to its locations.
     */
    final LocSlot<Draft, RewriteConf> conf = locSlot(LocSlot.mergedAtEveryLevel(Draft::new, (parent, d) -> {
        Op[] script = d.ops == null ? null : d.ops.toArray(new Op[0]);
        return new RewriteConf(script,
                d.log != null ? d.log : parent != null && parent.log(),
                d.warnUninitialized != null ? d.warnUninitialized : parent == null || parent.warnUninitialized(),
                d.server ? returns(script) : parent != null && parent.serverReturns());
    }));

    private final ScriptParser parser = new ScriptParser(this::levelOps, this::uninitialized);

    public RewriteModule() {
        super("rewrite");
    }

    @Override
    public List<Directive> directives() {
        Set<Context> script = EnumSet.of(Context.SERVER, Context.IF_SERVER, Context.LOCATION, Context.IF_LOCATION);
        Set<Context> flags = EnumSet.of(Context.HTTP, Context.SERVER, Context.IF_SERVER, Context.LOCATION,
                Context.IF_LOCATION);
        return List.of(
                Directive.of("rewrite", script, Arity.TAKE23, parser::rewrite),
                Directive.of("return", script, Arity.TAKE12, parser::returnDirective),
                Directive.of("break", script, Arity.NONE, parser::breakDirective),
                Directive.block("if", EnumSet.of(Context.SERVER, Context.LOCATION), Arity.ONE_OR_MORE,
                        parser::ifDirective),
                Directive.of("set", script, Arity.TAKE2, parser::set),
                Directive.of("rewrite_log", flags, Arity.TAKE1,
                        flag(Setters.flag(conf, d -> d.log, (d, v) -> d.log = v))),
                Directive.of("uninitialized_variable_warn", flags, Arity.TAKE1,
                        flag(Setters.flag(conf, d -> d.warnUninitialized, (d, v) -> d.warnUninitialized = v))));
    }

    private List<Op> levelOps(ConfContext cx) {
        Draft d = cx.loc(conf);
        if (d.ops == null) {
            d.ops = new ArrayList<>();
            d.server = cx.context() == Context.SERVER;
        }
        return d.ops;
    }

    /**
     * A flag directive; in an {@code if} block of a server, where nginx accepts it into a configuration nothing
     * reads, it is checked and has no effect either, with a warning.
     */
    private static DirectiveSetter flag(DirectiveSetter setter) {
        return (cx, d) -> {
            if (cx.context() != Context.IF_SERVER) {
                setter.set(cx, d);
                return;
            }
            if (ConfValues.flag(d.arg(0)) == null) {
                throw d.error("invalid value \"%s\" in \"%s\" directive, it must be \"on\" or \"off\"", d.arg(0),
                        d.name());
            }
            cx.warn(d, "\"" + d.name() + "\" in an \"if\" block of a server has no effect");
        };
    }

    /** A variable {@code set} defines, read before any {@code set} gave it a value: empty, with nginx's warning. */
    private String uninitialized(HttpExchange x, Object name) {
        LocationConf loc = x.location();
        RewriteConf c = loc == null ? null : loc.get(conf);
        if (c == null || c.warnUninitialized()) {
            RewriteLog.warn(x, "using uninitialized \"" + name + "\" variable");
        }
        return "";
    }

    /**
     * {@link ContentOrigin#REWRITE_PHASE} when a {@code return} outside an {@code if}, in the location's script or
     * in its server's, answers before the access checks (one inside an {@code if} answers only some requests).
     */
    @Override
    public ContentOrigin contentOrigin(LocationConf location) {
        RewriteConf c = location.get(conf);
        return c.serverReturns() || returns(c.script()) ? ContentOrigin.REWRITE_PHASE : null;
    }

    /** Whether {@code script} has a {@code return} outside an {@code if} (whose block holds its own script). */
    private static boolean returns(Op[] script) {
        if (script == null) {
            return false;
        }
        for (Op op : script) {
            if (op instanceof ReturnOp) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHandler(Phase.SERVER_REWRITE, this::serverRewrite);
        init.addHandler(Phase.REWRITE, this::locationRewrite);
    }

    private int serverRewrite(HttpExchange x) {
        return run(x, x.server().conf().get(conf));
    }

    private int locationRewrite(HttpExchange x) {
        LocationConf loc = x.location();
        if (loc == x.server().conf()) {
            return PhaseHandler.DECLINED; // as nginx: no location matched, the server's script already ran
        }
        return run(x, loc.get(conf));
    }

    private static int run(HttpExchange x, RewriteConf c) {
        if (c.script() == null) {
            return PhaseHandler.DECLINED;
        }
        int rc = Op.runAll(c.script(), x, c.log());
        return rc == Op.NEXT ? PhaseHandler.DECLINED : rc;
    }
}
