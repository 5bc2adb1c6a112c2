package io.jwtgate.cli;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.config.GatewayConfig;
import io.jwtgate.core.http.Transport;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jwtgate}: nginx's command line ({@code -c}, {@code -t}, {@code -s}, {@code -v}) plus {@code demo} and
 * {@code token}. Each option parses its arguments and calls the same loader ({@link Gateway#load}); docs/cli.md is
 * the manual. The annotations below define the command line; an ordinary gateway start is read by
 * {@link #plainOptions} to the same fields without building picocli's model.
 */
@Command(name = "jwtgate", sortOptions = false, separator = " ",
        description = "A JWT-authenticating edge gateway that runs nginx configurations.",
        footer = {"", "Exit codes: 0 ok, 1 configuration or usage error, 2 runtime error,",
                "3 reload rejected by the running gateway (it keeps its configuration)."})
public final class Main implements Callable<Integer> {

    /** Used when {@code -c} is absent: {@code nginx.conf} in the working directory. */
    static final String DEFAULT_CONF = "nginx.conf";

    @Option(names = "-c", paramLabel = "<file>",
            description = "configuration file (default: ./" + DEFAULT_CONF + ")")
    Path conf = Path.of(DEFAULT_CONF);

    @Option(names = "-t", description = "test the configuration and exit")
    boolean test;

    @Option(names = "-s", paramLabel = "<signal>",
            description = "send a signal to the running gateway: " + Signals.NAMES)
    String signal;

    @Option(names = "-v", description = "print the version and exit")
    boolean version;

    @Option(names = {"-h", "-?", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Preload.start();
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command line with the given streams; returns the exit code instead of exiting. */
    static int run(PrintStream out, PrintStream err, String... args) {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        Main plain = plainOptions(args);
        if (plain != null) {
            Preload.initLogging();
            try {
                return plain.execute(o, e);
            } catch (RuntimeException failure) {
                failure.printStackTrace(e); // as picocli reports a command that threw
                e.flush();
                return Exit.RUNTIME;
            }
        }
        CommandLine cl = new CommandLine(new Main());
        if (mayNameSubcommand(args)) {
            cl.addSubcommand(new DemoCommand());
            cl.addSubcommand(new TokenCommand());
        }
        cl.setOut(o);
        cl.setErr(e);
        setExitCodes(cl);
        cl.setExecutionStrategy(parsed -> {
            Preload.initLogging();
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl.execute(args);
    }

    /**
     * The options of an ordinary gateway command line, read without picocli: {@code -c <file>}, {@code -t},
     * {@code -s <signal>} and {@code -v}, each at most once and each its own word, with {@code -t} and {@code -s}
     * not together and a known signal name. Returns {@code null} for anything else (a subcommand, help, a mistake),
     * which picocli then parses, so that usage and error texts keep one source: the annotations above. Creating
     * picocli's model of this class took 0.25-0.29 s of every start (picocli is Java 5 bytecode, which the class-data
     * archive cannot hold and the JVM verifies slowly), a fifth of the start-up budget.
     */
    static Main plainOptions(String... args) {
        Main m = new Main();
        boolean confGiven = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            // picocli reads "@file" as a file of arguments; such a value is left to it
            boolean valueFollows = i + 1 < args.length && !args[i + 1].startsWith("-")
                    && !args[i + 1].startsWith("@");
            switch (a) {
                case "-c":
                    if (confGiven || !valueFollows) {
                        return null;
                    }
                    try {
                        m.conf = Path.of(args[++i]);
                    } catch (InvalidPathException bad) {
                        return null;
                    }
                    confGiven = true;
                    break;
                case "-s":
                    if (m.signal != null || !valueFollows || !Signals.COMMANDS.containsKey(args[i + 1])) {
                        return null;
                    }
                    m.signal = args[++i];
                    break;
                case "-t":
                    if (m.test) {
                        return null;
                    }
                    m.test = true;
                    break;
                case "-v":
                    if (m.version) {
                        return null;
                    }
                    m.version = true;
                    break;
                default:
                    return null;
            }
        }
        return m.test && m.signal != null ? null : m;
    }

    /**
     * Whether the command line can name a subcommand (it starts with a word, not an option) or list them (help).
     * Other command lines that reach picocli (a mistaken gateway start) skip them: picocli builds each registered
     * command's model by reflection up front, a third of its set-up time.
     */
    static boolean mayNameSubcommand(String... args) {
        if (args.length > 0 && !args[0].startsWith("-")) {
            return true;
        }
        for (String a : args) {
            if (a.equals("-h") || a.equals("-?") || a.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    /** Usage mistakes exit with {@link Exit#CONFIG}, failures with {@link Exit#RUNTIME}, in every subcommand. */
    private static void setExitCodes(CommandLine c) {
        c.getCommandSpec().exitCodeOnInvalidInput(Exit.CONFIG).exitCodeOnExecutionException(Exit.RUNTIME);
        for (CommandLine sub : c.getSubcommands().values()) {
            setExitCodes(sub);
        }
    }

    @Override
    public Integer call() {
        if (!version && test && signal != null) {
            throw new ParameterException(spec.commandLine(), "-t and -s cannot be used together");
        }
        if (!version && signal != null && !Signals.COMMANDS.containsKey(signal)) {
            throw new ParameterException(spec.commandLine(),
                    "invalid option: \"-s " + signal + "\" (expected: " + Signals.NAMES + ")");
        }
        return execute(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs options that are known to be valid together. */
    private int execute(PrintWriter out, PrintWriter err) {
        if (version) {
            out.print(Version.lines(Transport.detect()));
            out.flush();
            return Exit.OK;
        }
        Path file = conf.toAbsolutePath().normalize();
        if (signal != null) {
            return signal(file, err);
        }
        if (test) {
            return test(file, err);
        }
        return runForeground(file, err);
    }

    /** {@code -t}: nginx's two lines on success; the error and "test failed" otherwise. All on standard error. */
    private static int test(Path file, PrintWriter err) {
        GatewayConfig cfg;
        try {
            cfg = Gateway.load(file);
        } catch (ConfException e) {
            err.println(e.getMessage());
            err.println("configuration file " + file + " test failed");
            err.flush();
            return Exit.CONFIG;
        }
        for (GatewayConfig.Message m : cfg.messages()) {
            err.println("[" + m.level().word() + "] " + m.text());
        }
        err.println("the configuration file " + file + " syntax is ok");
        err.println("configuration file " + file + " test is successful");
        err.flush();
        return Exit.OK;
    }

    /**
     * {@code -s}: reads the pid file the configuration names and sends the signal with {@code kill}; for
     * {@code reload}, waits for the running gateway's verdict ({@link ReloadStatus}) and prints a rejection's reason.
     */
    private int signal(Path file, PrintWriter err) {
        String sig = Signals.COMMANDS.get(signal);
        GatewayConfig cfg;
        try {
            cfg = Gateway.load(file);
        } catch (ConfException e) {
            err.println(e.getMessage());
            err.flush();
            return Exit.CONFIG;
        }
        Path pidFile = cfg.main().pidFile();
        if (pidFile == null) {
            err.println("no \"pid\" directive in " + file);
            err.flush();
            return Exit.CONFIG;
        }
        try {
            long pid = PidFile.read(pidFile);
            Path status = ReloadStatus.fileFor(pidFile);
            long baseline = ReloadStatus.baseline(status, pid); // before the signal: see ReloadStatus
            String failure = Signals.send(sig, pid);
            if (failure != null) {
                err.println(failure);
                err.flush();
                return Exit.RUNTIME;
            }
            if (!signal.equals("reload")) {
                return Exit.OK;
            }
            ReloadStatus.Line verdict = ReloadStatus.await(status, pid, baseline, ReloadStatus.TIMEOUT);
            if (verdict.state() == ReloadStatus.State.OK) {
                return Exit.OK;
            }
            err.println(verdict.reason() + "; the running configuration is kept");
            err.flush();
            return Exit.REJECTED;
        } catch (IllegalStateException | IOException e) {
            err.println(e instanceof IOException ? "open() \"" + pidFile + "\" failed (" + Errno.describe(e) + ")"
                    : e.getMessage());
            err.flush();
            return Exit.RUNTIME;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Exit.RUNTIME;
        }
    }

    /** {@code -c}: loads, then runs in the foreground until a signal ends it. */
    private static int runForeground(Path file, PrintWriter err) {
        GatewayConfig cfg;
        try {
            cfg = Gateway.load(file);
        } catch (ConfException e) {
            err.println(e.getMessage());
            err.flush();
            return Exit.CONFIG;
        }
        return serve(file, cfg, err, null);
    }

    /**
     * Applies {@code error_log}, starts the gateway, installs the signal handlers, calls {@code ready} (the demo
     * prints its examples there) and runs until a quit or stop. Shared by {@code -c} and {@code demo}.
     */
    static int serve(Path file, GatewayConfig cfg, PrintWriter err, Consumer<Gateway> ready) {
        String logError = Logging.checkWritable(cfg.main());
        if (logError != null) {
            err.println(logError);
            err.flush();
            return Exit.CONFIG;
        }
        Logging.apply(cfg.main());
        Gateway gw;
        try {
            gw = Gateway.start(file, cfg);
            Signals.install(gw::post);
            gw.writePidFile();
        } catch (Gateway.StartException e) {
            LoggerFactory.getLogger("jwtgate").error(Logging.EMERG, e.getMessage());
            Logging.close();
            if (!cfg.main().errorLogToStderr()) {
                err.println(e.getMessage()); // the log went to a file or syslog; say it here too
                err.flush();
            }
            return Exit.RUNTIME;
        }
        if (ready != null) {
            ready.accept(gw);
        }
        int code = gw.awaitExit();
        Logging.close();
        return code;
    }
}
