package io.jwtgate.core.server;

import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.PhaseEngine;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's position in the phase engine: the handler it is at, the denial remembered under {@code satisfy any},
 * and the epoch that stops a run the request has left. The core's own steps (find config, post-rewrite, finish) are
 * the request's ({@link BaseExchange}).
 */
final class PhaseRun implements PhaseEngine.Run {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final BaseExchange x;
    private int handlerIndex;
    private int accessCode;
    private int flowEpoch;

    PhaseRun(BaseExchange x) {
        this.x = x;
    }

    /** Runs the phases from {@code index}. */
    void from(int index) {
        handlerIndex = index;
        x.runtime.engine().run(this);
    }

    /** Runs the phases again from {@code index}; the run that called for it stops ({@link #flowEpoch()}). */
    void restart(int index) {
        flowEpoch++;
        accessCode = 0;
        from(index);
    }

    /** The request was finalized: a run still walking its handlers stops. */
    void leave() {
        flowEpoch++;
    }

    @Override
    public HttpExchange exchange() {
        return x;
    }

    @Override
    public int handlerIndex() {
        return handlerIndex;
    }

    @Override
    public void handlerIndex(int index) {
        handlerIndex = index;
    }

    @Override
    public int accessCode() {
        return accessCode;
    }

    @Override
    public void accessCode(int code) {
        accessCode = code;
    }

    @Override
    public boolean satisfyAny() {
        return x.location().core().satisfyAny();
    }

    @Override
    public int flowEpoch() {
        return flowEpoch;
    }

    @Override
    public boolean findConfig() {
        return x.findConfig();
    }

    @Override
    public boolean uriChanged() {
        return x.uriChanged();
    }

    @Override
    public boolean spendUriChange() {
        return x.spendUriChange();
    }

    @Override
    public void finish(int status) {
        x.finish(status);
    }

    /** nginx's {@code ngx_http_core_auth_delay}: the 401 waits {@code auth_delay}, unless the request ends first. */
    @Override
    public void unauthorized() {
        long delay = x.location().core().wire().authDelayMs();
        if (delay == 0) {
            x.finalizeRequest(401);
            return;
        }
        log.info("delaying unauthorized request{}", ErrorContext.of(x));
        int epoch = flowEpoch;
        x.schedule(() -> {
            if (flowEpoch == epoch && !x.main().finished()) {
                x.finalizeRequest(401);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }
}
