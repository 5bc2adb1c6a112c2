package io.jwtgate.access;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import java.util.List;

/**
 * A stand-in for an authenticating access module (the JWT module's place): {@code test_auth;} in a location makes
 * it answer 401 with a {@code WWW-Authenticate} challenge unless the request has {@code X-Test-Auth: ok}.
 */
final class TestAuthModule extends HttpModule {

    static final Response CHALLENGE = Response.of("text/plain", "test auth required\n")
            .withHeader("WWW-Authenticate", "Test realm=\"jwtgate\"");

    static final class Draft {
        Boolean on;
    }

    final LocSlot<Draft, Boolean> conf = locSlot(LocSlot.of(Draft::new,
            (parent, d) -> d.on != null ? d.on : parent != null && parent));

    TestAuthModule() {
        super("test_auth");
    }

    @Override
    public List<Directive> directives() {
        return List.of(Directive.of("test_auth", Directive.httpServerLocation(), Arity.NONE,
                (cx, d) -> cx.loc(conf).on = Boolean.TRUE));
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHandler(Phase.ACCESS, this::handle);
    }

    private int handle(HttpExchange x) {
        if (!x.conf(conf)) {
            return PhaseHandler.DECLINED;
        }
        if ("ok".equals(x.header("X-Test-Auth"))) {
            return PhaseHandler.OK;
        }
        x.prepareResponse(401, CHALLENGE);
        return 401;
    }
}
