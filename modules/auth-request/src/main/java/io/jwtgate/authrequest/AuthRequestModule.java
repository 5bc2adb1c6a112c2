package io.jwtgate.authrequest;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.http.SubrequestOptions;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.Variable;
import io.jwtgate.core.var.VariableSetter;
import io.jwtgate.core.var.Variables;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth_request} and {@code auth_request_set}, nginx's {@code ngx_http_auth_request_module}
 * (docs/auth_request.md).
 *
 * <p>In the {@link Phase#ACCESS} phase the request waits for a header-only subrequest to its {@code auth_request}
 * URI, which carries the client's headers and no body. When it has answered, the {@code auth_request_set} values are
 * evaluated in the subrequest (its {@code $upstream_*}, its JWT variables) and stored in the request's variables;
 * then a 2xx status allows the request, 401 (with the subrequest's {@code WWW-Authenticate}) and 403 deny it, and any
 * other status ends it with 500. The core combines the outcome with the other access modules by {@code satisfy}.
 */
public final class AuthRequestModule extends HttpModule {

    // the same logger as the core's per-request errors, so error_log settings apply alike
    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /** One {@code auth_request_set}: the variable it assigns and the value, evaluated in the subrequest. */
    record SetVariable(int index, ComplexValue value, VariableSetter setter, Object data) {
    }

    /**
     * A level's merged configuration.
     *
     * @param uri the subrequest's URI, empty for none ({@code off})
     * @param vars the {@code auth_request_set} lines in order
     */
    record AuthConf(String uri, List<SetVariable> vars) {
        static final AuthConf NONE = new AuthConf("", List.of());
    }

    /** What a level wrote: {@code null} for unset. */
    static final class Draft {
        String uri;
        List<SetVariable> vars;
    }

    /** As nginx's merge: the URI and the list of {@code auth_request_set} are each inherited whole when unset. */
    final LocSlot<Draft, AuthConf> conf = locSlot(LocSlot.of(Draft::new, (parent, d) -> {
        AuthConf p = parent != null ? parent : AuthConf.NONE;
        return new AuthConf(d.uri != null ? d.uri : p.uri(), d.vars != null ? List.copyOf(d.vars) : p.vars());
    }));

    public AuthRequestModule() {
        super("auth_request");
    }

    // ---- directives

    @Override
    public List<Directive> directives() {
        return List.of(
                Directive.of("auth_request", Directive.httpServerLocation(), Arity.TAKE1, this::authRequest),
                Directive.of("auth_request_set", Directive.httpServerLocation(), Arity.TAKE2, this::authRequestSet));
    }

    private void authRequest(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        Setters.checkUnset(d, draft.uri);
        draft.uri = d.arg(0).equals("off") ? "" : d.arg(0);
    }

    /** As nginx's: the variable is declared changeable, and reads as not found until a subrequest has set it. */
    private void authRequestSet(ConfContext cx, ConfDirective d) throws ConfException {
        String name = d.arg(0);
        if (!name.startsWith("$") || name.length() == 1) {
            throw d.error("invalid variable name \"%s\"", name);
        }
        name = name.substring(1);
        Variables vars = cx.variables();
        Variable v = vars.defined(name);
        if (v == null) {
            vars.define(name, (x, data) -> null, null, Variables.CHANGEABLE);
        } else if (!v.changeable()) {
            throw d.error("the duplicate \"%s\" variable", name);
        }
        int index = vars.index(name, d);
        ComplexValue value = cx.compile(d, d.arg(1));
        Draft draft = cx.loc(conf);
        if (draft.vars == null) {
            draft.vars = new ArrayList<>();
        }
        draft.vars.add(v != null && v.setter() != null ? new SetVariable(index, value, v.setter(), v.data())
                : new SetVariable(index, value, null, null));
    }

    // ---- init

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHandler(Phase.ACCESS, this::handle);
    }

    // ---- handler

    private int handle(HttpExchange x) {
        AuthConf c = x.conf(conf);
        if (c.uri().isEmpty()) {
            return PhaseHandler.DECLINED;
        }
        Check check = new Check(x, c);
        x.subrequest(c.uri(), SubrequestOptions.accessCheck(), sub -> check.sub = sub, check::answered);
        return check.started();
    }

    /**
     * One subrequest in flight. It may answer before {@link HttpExchange#subrequest} returns (an internal location
     * that answers at once): then the handler returns the outcome itself instead of resuming.
     */
    private static final class Check {
        private final HttpExchange x;
        private final AuthConf conf;
        private HttpExchange sub;
        private Integer outcome;
        private boolean waiting;

        Check(HttpExchange x, AuthConf conf) {
            this.x = x;
            this.conf = conf;
        }

        int started() {
            if (outcome != null) {
                return outcome;
            }
            waiting = true;
            return PhaseHandler.ASYNC;
        }

        void answered(SubrequestResult r) {
            int rc = outcome(r);
            if (waiting) {
                x.resume(rc);
            } else {
                outcome = rc;
            }
        }

        private int outcome(SubrequestResult r) {
            if (sub == null) {
                return 500; // no subrequest could be made; the core logged why
            }
            // as nginx, set whatever the status, so that an error page sees the values too
            for (SetVariable v : conf.vars()) {
                String value = v.value().evaluate(sub);
                if (v.setter() != null) {
                    v.setter().set(x, value, v.data());
                } else {
                    x.setVariable(v.index(), value);
                }
            }
            int status = r.status();
            if (status == 403) {
                return 403;
            }
            if (status == 401) {
                String challenge = r.header("WWW-Authenticate");
                if (challenge != null) {
                    x.prepareResponse(401, StatusPages.page(401).withHeader("WWW-Authenticate", challenge));
                }
                return 401;
            }
            if (status >= 200 && status < 300) {
                return PhaseHandler.OK;
            }
            if (log.isErrorEnabled()) {
                // nginx's connection is "sending to client" once an upstream ran in the subrequest
                log.error("auth request unexpected status: {}{}{}", status,
                        r.relayed() ? " while sending to client" : "", ErrorContext.of(x));
            }
            return 500;
        }
    }
}
