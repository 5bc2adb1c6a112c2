package io.jwtgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The signals a running gateway obeys, and {@code -s}, which sends them. docs/cli.md has the table next to nginx's.
 *
 * <table>
 *   <caption>signals</caption>
 *   <tr><th>{@code -s}</th><th>signal</th><th>action</th></tr>
 *   <tr><td>{@code reload}</td><td>HUP</td><td>load the configuration again</td></tr>
 *   <tr><td>{@code reopen}</td><td>USR1</td><td>reopen the error log and the access log files</td></tr>
 *   <tr><td>{@code quit}</td><td>XCPU</td><td>graceful shutdown</td></tr>
 *   <tr><td>{@code stop}</td><td>TERM (also INT)</td><td>fast shutdown</td></tr>
 *   <tr><td></td><td>USR2</td><td>logged and ignored (nginx's binary upgrade)</td></tr>
 * </table>
 *
 * <p>nginx quits gracefully on QUIT, but the JVM keeps QUIT for its thread dump and refuses to hand it over
 * ({@code Signal already used by VM or OS: SIGQUIT}, even with {@code -Xrs}); USR1 reopens the logs as in nginx, and
 * WINCH (nginx's other graceful signal) is sent by a terminal to its foreground process on every resize, so a
 * graceful quit needs a signal nginx does not use: XCPU, whose meaning ("stop soon") fits. WINCH is left to its
 * default, ignored, as nginx ignores it when it does not run as a daemon.
 */
final class Signals {

    /** What a signal asks the running gateway to do. */
    enum Action { RELOAD, REOPEN, QUIT, STOP }

    /** {@code -s} names to the signal each sends. */
    static final Map<String, String> COMMANDS = Map.of("reload", "HUP", "reopen", "USR1", "quit", "XCPU",
            "stop", "TERM");

    /** The {@code -s} names, for messages. */
    static final String NAMES = "reload, reopen, quit or stop";

    /**
     * HotSpot suspends threads (for Flight Recorder's sampler) with the signal named by this environment variable,
     * USR2 when it is unset; the launcher moves it elsewhere so that USR2 can be handled.
     */
    static final String SUSPEND_SIGNAL_ENV = "_JAVA_SR_SIGNUM";

    private static final Logger log = LoggerFactory.getLogger("jwtgate.signals");

    private Signals() {
    }

    /**
     * Routes HUP, USR1, XCPU, TERM and INT to {@code actions}, and logs USR2 when HotSpot does not use it; a signal
     * the JVM refuses is logged and left alone.
     */
    static void install(Consumer<Action> actions) {
        Map<String, Action> table = new LinkedHashMap<>();
        table.put("HUP", Action.RELOAD);
        table.put("USR1", Action.REOPEN);
        table.put("XCPU", Action.QUIT);
        table.put("TERM", Action.STOP);
        table.put("INT", Action.STOP);
        for (Map.Entry<String, Action> e : table.entrySet()) {
            Action action = e.getValue();
            handle(e.getKey(), s -> actions.accept(action));
        }
        if (usr2IsFree(System.getenv(SUSPEND_SIGNAL_ENV))) {
            handle("USR2", s -> log.warn("signal {} (SIG{}) received, ignored: jwtgate cannot change its binary"
                    + " on the fly; restart it", s.getNumber(), s.getName()));
        }
    }

    /**
     * Whether HotSpot leaves USR2 alone: only when its suspend signal was moved to another number. Without that, a
     * handler would take the signal from HotSpot's sampler; and an unexpected USR2 crashes Java 17's HotSpot, which
     * is why the launcher moves it.
     */
    static boolean usr2IsFree(String suspendSignal) {
        if (suspendSignal == null) {
            return false;
        }
        try {
            int n = Integer.parseInt(suspendSignal.trim());
            return n != new Signal("USR2").getNumber();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void handle(String name, SignalHandler handler) {
        try {
            Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException ex) {
            // HUP is refused when the process was started ignoring it (nohup)
            log.warn("SIG{} cannot be handled ({}); that control signal will not work", name, ex.getMessage());
        }
    }

    /**
     * Sends {@code signal} to {@code pid} with {@code kill -s}: Java itself can only send KILL and TERM.
     *
     * @return {@code null}, or the error to print
     */
    static String send(String signal, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (p.waitFor() == 0) {
            return null;
        }
        return "kill(" + pid + ", SIG" + signal + ") failed" + (output.isEmpty() ? "" : " (" + output + ")");
    }
}
