package io.jwtgate.core.http;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The phase handlers of one configuration flattened into one array, as nginx's {@code ngx_http_init_phase_handlers}
 * does, and the checker that turns each handler's result into the next step. Modules never see each other: whether
 * a denial ends the request or waits for another access module is decided here, by {@code satisfy}.
 */
public final class PhaseEngine {

    /** What the engine needs from a request beyond {@link HttpExchange}. */
    public interface Run {
        HttpExchange exchange();

        int handlerIndex();

        void handlerIndex(int index);

        /** nginx's {@code r->access_code}: the denial remembered under {@code satisfy any}. */
        int accessCode();

        void accessCode(int code);

        /** {@code satisfy any} for this request's location. */
        boolean satisfyAny();

        /** Ends the request with a status (a prepared response or the default page). */
        void finish(int status);
    }

    private final Phase[] phases;
    private final PhaseHandler[] handlers;
    private final int contentStart;
    private final PhaseHandler[] logHandlers;

    private PhaseEngine(Map<Phase, List<PhaseHandler>> byPhase) {
        List<Phase> p = new ArrayList<>();
        List<PhaseHandler> h = new ArrayList<>();
        int content = -1;
        for (Phase phase : new Phase[] {Phase.PREACCESS, Phase.ACCESS, Phase.CONTENT}) {
            if (phase == Phase.CONTENT) {
                content = h.size();
            }
            for (PhaseHandler handler : byPhase.getOrDefault(phase, List.of())) {
                p.add(phase);
                h.add(handler);
            }
        }
        phases = p.toArray(new Phase[0]);
        handlers = h.toArray(new PhaseHandler[0]);
        contentStart = content;
        logHandlers = byPhase.getOrDefault(Phase.LOG, List.of()).toArray(new PhaseHandler[0]);
    }

    /** Collects handlers per phase while modules run their post-configuration. */
    public static final class Builder {
        private final Map<Phase, List<PhaseHandler>> byPhase = new EnumMap<>(Phase.class);

        public void add(Phase phase, PhaseHandler handler) {
            byPhase.computeIfAbsent(phase, k -> new ArrayList<>()).add(handler);
        }

        public PhaseEngine build() {
            return new PhaseEngine(byPhase);
        }
    }

    /** Runs handlers from the request's current index until one finishes the request or goes asynchronous. */
    public void run(Run r) {
        HttpExchange x = r.exchange();
        int i = r.handlerIndex();
        while (true) {
            if (i == contentStart && !enterContent(r)) {
                return;
            }
            if (i >= handlers.length) {
                // no content handler took the request: nginx would look for a file, which we never serve
                r.finish(404);
                return;
            }
            if (phases[i] == Phase.ACCESS && x.isSubrequest()) {
                i = contentStart;
                continue;
            }
            r.handlerIndex(i);
            int rc = handlers[i].handle(x);
            if (rc == PhaseHandler.ASYNC) {
                return;
            }
            int next = next(r, i, rc);
            if (next < 0) {
                return;
            }
            i = next;
        }
    }

    /** Continues after an asynchronous handler finished with {@code rc}. */
    public void resume(Run r, int rc) {
        int next = next(r, r.handlerIndex(), rc);
        if (next >= 0) {
            r.handlerIndex(next);
            run(r);
        }
    }

    private boolean enterContent(Run r) {
        int code = r.accessCode();
        if (code != 0) {
            r.accessCode(0);
            r.finish(code);
            return false;
        }
        return true;
    }

    /** The next handler index after handler {@code i} returned {@code rc}, or -1 when the request is taken care of. */
    private int next(Run r, int i, int rc) {
        switch (phases[i]) {
            case PREACCESS:
                if (rc == PhaseHandler.OK || rc == PhaseHandler.DECLINED) {
                    return i + 1;
                }
                r.finish(rc);
                return -1;
            case ACCESS:
                if (!r.satisfyAny()) {
                    if (rc == PhaseHandler.OK || rc == PhaseHandler.DECLINED) {
                        return i + 1;
                    }
                    r.finish(rc);
                    return -1;
                }
                if (rc == PhaseHandler.OK) {
                    r.accessCode(0);
                    return contentStart;
                }
                if (rc == PhaseHandler.DECLINED) {
                    return i + 1;
                }
                if (rc == 401 || rc == 403) {
                    if (r.accessCode() != 401) {
                        r.accessCode(rc);
                    }
                    return i + 1;
                }
                r.finish(rc);
                return -1;
            default: // CONTENT
                if (rc == PhaseHandler.DECLINED) {
                    return i + 1;
                }
                if (rc != PhaseHandler.OK) {
                    r.finish(rc);
                }
                return -1;
        }
    }

    /** Runs the log phase once the response is complete. */
    public void log(HttpExchange x) {
        for (PhaseHandler h : logHandlers) {
            h.handle(x);
        }
    }
}
