package io.jwtgate.core.server;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Actions to run once, in the order they were added, when something happens to a request: its client connection
 * went away (a proxy closes its upstream connection), or it ended (nginx's cleanups of the request pool:
 * {@code limit_conn} gives its slot back). One that throws is logged and the others still run. Lives on the
 * request's event loop.
 */
final class Hooks {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final String what;
    /** Made when the first action is added: most requests have none, a proxied one usually one. */
    private List<Runnable> actions;

    /** {@code what} names the hooks in the log line of one that fails. */
    Hooks(String what) {
        this.what = what;
    }

    boolean isEmpty() {
        return actions == null;
    }

    void add(Runnable action) {
        if (actions == null) {
            actions = new ArrayList<>(2);
        }
        actions.add(action);
    }

    /** Runs the actions and forgets them: a second call runs nothing, unless actions were added since. */
    void run() {
        List<Runnable> due = actions;
        actions = null;
        if (due == null) {
            return;
        }
        for (Runnable action : due) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.error("{} failed", what, e);
            }
        }
    }
}
