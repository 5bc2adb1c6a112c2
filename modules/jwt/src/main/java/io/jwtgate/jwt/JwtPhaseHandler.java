package io.jwtgate.jwt;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.PhaseHandler;

/**
 * The JWT check as a phase handler: one instance in PREACCESS and one in ACCESS, each declining at once where the
 * location does not validate in its phase ({@code jwt_phase}, docs/jwt.md#jwt_phase).
 *
 * <p>A request is validated once (a phase that runs again reuses the verdict of its {@link Authentication}). On
 * failure the response is prepared ({@code prepareResponse}) and the status returned, so that in the access phase
 * {@code satisfy any} can still let another module grant access, and the core ends the request with that status
 * (through {@code error_page} where one applies) when none does.
 */
final class JwtPhaseHandler implements PhaseHandler {

    private final JwtModule module;
    private final boolean preaccess;

    JwtPhaseHandler(JwtModule module, boolean preaccess) {
        this.module = module;
        this.preaccess = preaccess;
    }

    @Override
    public int handle(HttpExchange x) {
        JwtConf c = x.conf(module.conf);
        if (!c.enabled || c.preaccess != preaccess) {
            return PhaseHandler.DECLINED;
        }
        Authentication a = x.get(module.state);
        if (a == null || a.conf != c) {
            a = new Authentication(module, x, c);
            x.set(module.state, a);
            if (!a.start()) {
                return PhaseHandler.ASYNC;
            }
        }
        return a.verdict();
    }
}
