package io.jwtgate.core.http;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The phase handlers of one configuration flattened into one array, as nginx's {@code ngx_http_init_phase_handlers}
 * does, with the core's own steps between them (find config after the server rewrite phase, post-rewrite after the
 * rewrite phase), and the checker that turns each handler's result into the next step. Modules never see each
 * other: whether a denial ends the request or waits for another access module is decided here, by {@code satisfy}.
 * docs/modules.md#request-flow describes the order and the result codes.
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

        /**
         * Changes each time the request is finalized or restarted (internal redirect, named location), so that the
         * engine stops walking handlers of a run that a handler has left.
         */
        int flowEpoch();

        /**
         * nginx's find config phase: looks the location up for the current {@code $uri}; {@code false} when that
         * ended the request (404 for an {@code internal} location, 413, the automatic 301).
         */
        boolean findConfig();

        /**
         * nginx's post-rewrite phase: whether the rewrite phase changed the URI with reroute; then one URI change
         * is spent and the request goes back to the server's configuration, or, with none left, ended with 500
         * ({@code false} from {@link #spendUriChange()}).
         */
        boolean uriChanged();

        /** Spends one of the request's URI changes for a reroute; {@code false} when that ended it with 500. */
        boolean spendUriChange();

        /** Ends the request with a status (a prepared response or the default page), without {@code error_page}. */
        void finish(int status);

        /**
         * Ends the request with the access phase's 401, after nginx's {@code auth_delay} where the location sets
         * one ({@code ngx_http_core_auth_delay}).
         */
        default void unauthorized() {
            exchange().finalizeRequest(401);
        }
    }

    /** The core's own steps, which have no module handler. */
    private enum Step { HANDLER, FIND_CONFIG, POST_REWRITE }

    private final Phase[] phases;
    private final Step[] steps;
    private final PhaseHandler[] handlers;
    private final int serverRewrite;
    private final int findConfig;
    private final int locationRewrite;
    private final int contentStart;
    private final PhaseHandler[] logHandlers;

    private PhaseEngine(Map<Phase, List<PhaseHandler>> byPhase) {
        List<Phase> p = new ArrayList<>();
        List<Step> s = new ArrayList<>();
        List<PhaseHandler> h = new ArrayList<>();
        int serverRw = -1;
        int find = -1;
        int rewrite = -1;
        int content = -1;
        for (Phase phase : new Phase[] {Phase.POST_READ, Phase.SERVER_REWRITE, Phase.REWRITE, Phase.PREACCESS,
                Phase.ACCESS, Phase.PRECONTENT, Phase.CONTENT}) {
            if (phase == Phase.SERVER_REWRITE) {
                serverRw = h.size();
            } else if (phase == Phase.REWRITE) {
                find = h.size();
                p.add(Phase.REWRITE);
                s.add(Step.FIND_CONFIG);
                h.add(null);
                rewrite = h.size();
            } else if (phase == Phase.PRECONTENT) {
                content = h.size(); // what follows access: precontent, then content
            }
            for (PhaseHandler handler : byPhase.getOrDefault(phase, List.of())) {
                p.add(phase);
                s.add(Step.HANDLER);
                h.add(handler);
            }
            if (phase == Phase.REWRITE) {
                p.add(Phase.REWRITE);
                s.add(Step.POST_REWRITE);
                h.add(null);
            }
        }
        phases = p.toArray(new Phase[0]);
        steps = s.toArray(new Step[0]);
        handlers = h.toArray(new PhaseHandler[0]);
        serverRewrite = serverRw;
        findConfig = find;
        locationRewrite = rewrite;
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

    /** Where a client request starts: the post-read phase. */
    public int startIndex() {
        return 0;
    }

    /** Where an internal redirect restarts a request and where a subrequest starts: the server rewrite phase. */
    public int serverRewriteIndex() {
        return serverRewrite;
    }

    /** Where a named location starts: the location's rewrite phase, after find config. */
    public int locationRewriteIndex() {
        return locationRewrite;
    }

    /** Runs handlers from the request's current index until one finishes the request or goes asynchronous. */
    public void run(Run r) {
        HttpExchange x = r.exchange();
        int epoch = r.flowEpoch();
        int i = r.handlerIndex();
        while (true) {
            if (i == contentStart && !enterContent(r)) {
                return;
            }
            if (i >= handlers.length) {
                // no content handler took the request (a module list without the static module, which serves the rest)
                x.finalizeRequest(404);
                return;
            }
            r.handlerIndex(i);
            if (steps[i] == Step.FIND_CONFIG) {
                if (!r.findConfig()) {
                    return;
                }
                i++;
                continue;
            }
            if (steps[i] == Step.POST_REWRITE) {
                if (!r.uriChanged()) {
                    i++;
                } else if (r.spendUriChange()) {
                    i = findConfig;
                } else {
                    return;
                }
                continue;
            }
            if (phases[i] == Phase.ACCESS && x.isSubrequest()) {
                i = contentStart;
                continue;
            }
            int rc = handlers[i].handle(x);
            if (rc == PhaseHandler.ASYNC || r.flowEpoch() != epoch) {
                return; // later resume(), or the handler finalized or restarted the request itself
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
            if (code == 401) {
                r.unauthorized();
            } else {
                r.exchange().finalizeRequest(code);
            }
            return false;
        }
        return true;
    }

    /** The next handler index after handler {@code i} returned {@code rc}, or -1 when the request is taken care of. */
    private int next(Run r, int i, int rc) {
        switch (phases[i]) {
            case SERVER_REWRITE:
            case REWRITE:
            case PRECONTENT:
                // nginx's rewrite checker: only DECLINED goes on; OK means the handler took the request over
                if (rc == PhaseHandler.DECLINED) {
                    return i + 1;
                }
                return end(r, rc);
            case POST_READ:
            case PREACCESS:
                if (rc == PhaseHandler.OK || rc == PhaseHandler.DECLINED) {
                    return i + 1;
                }
                return end(r, rc);
            case ACCESS:
                if (!r.satisfyAny()) {
                    if (rc == PhaseHandler.OK || rc == PhaseHandler.DECLINED) {
                        return i + 1;
                    }
                    if (rc == 401) {
                        r.unauthorized();
                        return -1;
                    }
                    return end(r, rc);
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
                return end(r, rc);
            default: // CONTENT
                if (rc == PhaseHandler.DECLINED) {
                    return i + 1;
                }
                return rc == PhaseHandler.OK ? -1 : end(r, rc);
        }
    }

    /** Finalizes the request with a handler's status; nothing more runs in this pass. */
    private static int end(Run r, int rc) {
        if (rc != PhaseHandler.OK) {
            r.exchange().finalizeRequest(rc);
        }
        return -1;
    }

    /** Runs the log phase once the response is complete. */
    public void log(HttpExchange x) {
        for (PhaseHandler h : logHandlers) {
            h.handle(x);
        }
    }
}
