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

/**
 * The signals a running gateway obeys, and {@code -s}, which sends them.
 *
 * <table>
 *   <caption>signals</caption>
 *   <tr><th>{@code -s}</th><th>signal</th><th>action</th></tr>
 *   <tr><td>{@code reload}</td><td>HUP</td><td>load the configuration again</td></tr>
 *   <tr><td>{@code quit}</td><td>USR1</td><td>graceful shutdown</td></tr>
 *   <tr><td>{@code stop}</td><td>TERM (also INT)</td><td>fast shutdown</td></tr>
 * </table>
 *
 * <p>nginx quits gracefully on QUIT, but the JVM keeps QUIT for its thread dump and refuses to hand it over
 * ({@code Signal already used by VM or OS: SIGQUIT}, even with {@code -Xrs}), so jwtgate uses USR1, which nginx
 * spends on reopening logs. {@code kill -QUIT} still prints a thread dump to standard output and changes nothing
 * else. WINCH (nginx's other graceful signal) is out: a terminal sends it to the foreground process on every resize.
 * USR2 is out too: HotSpot suspends threads with it for profiling.
 */
final class Signals {

    /** What a signal asks the running gateway to do. */
    enum Action { RELOAD, QUIT, STOP }

    /** {@code -s} names to the signal each sends. */
    static final Map<String, String> COMMANDS = Map.of("reload", "HUP", "quit", "USR1", "stop", "TERM");

    private static final Logger log = LoggerFactory.getLogger("jwtgate.signals");

    private Signals() {
    }

    /** Routes HUP, USR1, TERM and INT to {@code actions}; a signal the JVM refuses is logged and left alone. */
    static void install(Consumer<Action> actions) {
        Map<String, Action> table = new LinkedHashMap<>();
        table.put("HUP", Action.RELOAD);
        table.put("USR1", Action.QUIT);
        table.put("TERM", Action.STOP);
        table.put("INT", Action.STOP);
        for (Map.Entry<String, Action> e : table.entrySet()) {
            Action action = e.getValue();
            try {
                Signal.handle(new Signal(e.getKey()), s -> actions.accept(action));
            } catch (IllegalArgumentException ex) {
                // HUP is refused when the process was started ignoring it (nohup)
                log.warn("SIG{} cannot be handled ({}); that control signal will not work", e.getKey(),
                        ex.getMessage());
            }
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
