package io.jwtgate.access;

import io.jwtgate.core.codec.Cidr;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code allow} and {@code deny}, nginx's {@code ngx_http_access_module}.
 *
 * <p>Rules are checked in order and the first whose network contains the client address decides: a matching
 * {@code allow} returns {@link PhaseHandler#OK} (under {@code satisfy any} that alone grants access), a matching
 * {@code deny} returns 403, and no matching rule returns {@link PhaseHandler#DECLINED}. A level with rules of its own
 * replaces its parent's rules entirely. The handler sits in the {@link Phase#ACCESS} phase, so the core combines it
 * with the other access modules according to {@code satisfy}.
 */
public final class AccessModule extends HttpModule {

    // the same logger as the core's per-request errors, so error_log settings apply alike
    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /** The rules a level wrote, in order; empty when it wrote none. */
    static final class Draft {
        final AccessRules.Builder rules = new AccessRules.Builder();
    }

    /** nginx's merge: a level without rules of any family takes its parent's lists. */
    final LocSlot<Draft, AccessRules> conf = locSlot(LocSlot.of(Draft::new, (parent, d) -> {
        if (d.rules.isEmpty()) {
            return parent != null ? parent : AccessRules.EMPTY;
        }
        return d.rules.build();
    }));

    public AccessModule() {
        super("access");
    }

    // ---- directives

    /** Where {@code allow} and {@code deny} may be: also in {@code limit_except}, as nginx's. */
    private static final Set<Context> RULES = EnumSet.of(Context.HTTP, Context.SERVER, Context.LOCATION,
            Context.LIMIT_EXCEPT);

    @Override
    public List<Directive> directives() {
        return List.of(
                Directive.of("allow", RULES, Arity.TAKE1, this::rule),
                Directive.of("deny", RULES, Arity.TAKE1, this::rule));
    }

    private void rule(ConfContext cx, ConfDirective d) throws ConfException {
        boolean deny = d.name().equals("deny");
        String value = d.arg(0);
        AccessRules.Builder rules = cx.loc(conf).rules;
        if (value.equals("all")) {
            rules.addAll(deny);
            return;
        }
        if (value.equals("unix:")) {
            rules.addUnix();
            return;
        }
        Cidr cidr = Cidr.parse(value);
        if (cidr == null) {
            throw d.error("invalid parameter \"%s\"", value);
        }
        if (cidr.hostBitsSet()) {
            cx.warn(d, "low address bits of " + value + " are meaningless");
        }
        rules.add(cidr, deny);
    }

    // ---- init

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHandler(Phase.ACCESS, this::handle);
    }

    // ---- handler

    private int handle(HttpExchange x) {
        AccessRules rules = x.conf(conf);
        if (rules.isEmpty()) {
            return PhaseHandler.DECLINED;
        }
        switch (rules.check(x.remoteAddress().getAddress())) {
            case ALLOW:
                return PhaseHandler.OK;
            case DENY:
                // as ngx_http_access_found: under "satisfy any" another module may still grant access, so no log
                if (!x.location().core().satisfyAny() && log.isErrorEnabled()) {
                    log.error("access forbidden by rule{}", ErrorContext.of(x));
                }
                return 403;
            default:
                return PhaseHandler.DECLINED;
        }
    }
}
