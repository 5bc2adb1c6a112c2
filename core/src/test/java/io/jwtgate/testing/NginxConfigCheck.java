package io.jwtgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.config.ConfigLoader;
import io.jwtgate.core.module.HttpModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code nginx -t} of a configuration, for tests that check that jwtgate refuses a configuration as stock nginx does
 * (the same message at the same file and line) or accepts it with the same warnings.
 */
public final class NginxConfigCheck {

    private static final Path BINARY = Path.of("/usr/sbin/nginx");
    private static final Pattern LOGGED =
            Pattern.compile("\\[(emerg|warn)\\] (?:[0-9]+#[0-9]+: )?(.*?)(?: in (\\S+):([0-9]+))?$");

    /**
     * One {@code [emerg]} or {@code [warn]} line of nginx's output.
     *
     * @param reason the message without its place
     * @param file the file nginx names, {@code null} where it names no place (then {@code line} is 0)
     */
    public record Logged(String level, String reason, String file, int line) {

        /** As jwtgate words errors and warnings: {@code <reason> in <file>:<line>}, or the reason alone. */
        public String message() {
            return file == null ? reason : reason + " in " + file + ":" + line;
        }
    }

    private final String output;
    private final List<Logged> logged;

    private NginxConfigCheck(String output) {
        this.output = output;
        this.logged = output.lines().map(LOGGED::matcher).filter(Matcher::find)
                .map(m -> new Logged(m.group(1), m.group(2), m.group(3),
                        m.group(4) == null ? 0 : Integer.parseInt(m.group(4))))
                .toList();
    }

    /** A configuration's own {@code pid} line, which a second one on the command line would duplicate. */
    private static final Pattern OWN_PID = Pattern.compile("(?m)^\\s*pid\\s");

    /**
     * Writes {@code conf} to {@code dir/nginx.conf} (where {@link TestGateway#configError(Path, String, Supplier)}
     * writes it) and runs {@code nginx -t} on it with {@code dir} as prefix. Skips the calling test where nginx is
     * not installed, fails it under CI ({@link StockNginx#assumeAvailable()}).
     */
    public static NginxConfigCheck run(Path dir, String conf) throws IOException, InterruptedException {
        StockNginx.assumeAvailable();
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path out = logs.resolve("nginx-t.out");
        // output to a file, not a pipe, so that the wait below bounds the whole check
        Process p = new ProcessBuilder(BINARY.toString(), "-t", "-p", dir.toString(), "-c", file.toString(),
                "-g", "error_log " + logs.resolve("error.log") + ";"
                        + (OWN_PID.matcher(conf).find() ? "" : " pid " + dir.resolve("nginx.pid") + ";"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nginx -t did not finish within 10 s: " + Files.readString(out));
        }
        return new NginxConfigCheck(Files.readString(out, StandardCharsets.UTF_8));
    }

    /** nginx's whole output. */
    public String output() {
        return output;
    }

    /** Whether nginx said {@code test is successful}. */
    public boolean successful() {
        return output.contains("test is successful");
    }

    /** The {@code [emerg]} and {@code [warn]} lines, in order. */
    public List<Logged> logged() {
        return logged;
    }

    /** The {@code [warn]} lines, each as {@link Logged#message()} (the form of jwtgate's warnings). */
    public List<String> warnings() {
        return logged.stream().filter(l -> l.level().equals("warn")).map(Logged::message).toList();
    }

    /** nginx's refusal: fails unless nginx refused the configuration with one {@code [emerg]} line, nothing else. */
    public Logged refusal() {
        assertThat(logged).as("nginx -t refuses it with one [emerg] line: " + output)
                .hasSize(1).allMatch(l -> l.level().equals("emerg"));
        assertThat(successful()).as("nginx -t refuses it: " + output).isFalse();
        return logged.get(0);
    }

    /**
     * Asserts that nginx and jwtgate both refuse {@code conf} in {@code dir} with the same reason and the same place
     * (file and line), or, as nginx, with no place where nginx finds the mistake only once everything is read.
     *
     * @return jwtgate's error
     */
    public static ConfException assertSameError(Path dir, String conf, Supplier<List<HttpModule>> modules)
            throws IOException, InterruptedException {
        return assertSameError(dir, conf, modules, UnaryOperator.identity());
    }

    /**
     * As {@link #assertSameError(Path, String, Supplier)}, comparing the reasons in the form {@code reasonForm} gives
     * both (for words that come from a different library, such as a regex engine's).
     */
    public static ConfException assertSameError(Path dir, String conf, Supplier<List<HttpModule>> modules,
            UnaryOperator<String> reasonForm) throws IOException, InterruptedException {
        Logged nginx = run(dir, conf).refusal();
        ConfException e = TestGateway.configError(dir, conf, modules);
        assertThat(e).as("jwtgate refuses it as nginx: " + nginx.message()).isNotNull();
        assertThat(reasonForm.apply(e.reason())).isEqualTo(reasonForm.apply(nginx.reason()));
        if (nginx.file() == null) {
            assertThat(e.file()).as("no place, as nginx's").isNull();
        } else {
            assertThat(e.line()).isEqualTo(nginx.line());
            assertThat(e.getMessage()).isEqualTo(e.reason() + " in " + nginx.file() + ":" + nginx.line());
        }
        return e;
    }

    /**
     * Asserts that nginx and jwtgate both accept {@code conf} in {@code dir}, with the same warnings.
     *
     * @return the warnings
     */
    public static List<String> assertAcceptedAlike(Path dir, String conf, Supplier<List<HttpModule>> modules)
            throws IOException, InterruptedException {
        NginxConfigCheck nginx = run(dir, conf);
        assertThat(nginx.successful()).as("nginx -t accepts it: " + nginx.output()).isTrue();
        List<String> warnings;
        try {
            warnings = new ConfigLoader(modules.get()).load(dir.resolve("nginx.conf")).warnings();
        } catch (ConfException e) {
            throw new AssertionError("jwtgate refuses what nginx accepts: " + e.getMessage(), e);
        }
        assertThat(warnings).as("jwtgate's warnings, as nginx's").isEqualTo(nginx.warnings());
        return warnings;
    }
}
