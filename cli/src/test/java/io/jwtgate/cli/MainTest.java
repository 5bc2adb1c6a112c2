package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The commands that run and end in-process: {@code -t}, {@code -v}, {@code -s} failures, usage errors. */
class MainTest {

    @TempDir
    Path dir;

    /** One command line's exit code and output. */
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f.toAbsolutePath().normalize();
    }

    @Test
    void testGoodConfiguration() throws Exception {
        Path f = write("nginx.conf", """
                events { worker_connections 64; }
                http { server { listen 127.0.0.1:18081; location / { return 200 "ok"; } } }
                """);
        Result r = run("-t", "-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.OK);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("the configuration file " + f + " syntax is ok\n"
                + "configuration file " + f + " test is successful\n");
    }

    @Test
    void testBrokenConfigurationReportsFileAndLine() throws Exception {
        Path f = write("nginx.conf", """
                http {
                    server {
                        listen 127.0.0.1:18081;
                        proxy_pas http://x;
                    }
                }
                """);
        Result r = run("-t", "-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.CONFIG);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("unknown directive \"proxy_pas\" in " + f + ":4\n"
                + "configuration file " + f + " test failed\n");
    }

    @Test
    void testRelativePathIsReportedAbsolute() throws Exception {
        Path f = write("bad.conf", "worker_processes 0;\n");
        Path rel = Path.of("").toAbsolutePath().relativize(f);
        Result r = run("-t", "-c", rel.toString());
        assertThat(r.code()).isEqualTo(Exit.CONFIG);
        assertThat(r.err()).isEqualTo("invalid value \"0\" in \"worker_processes\" directive in " + f + ":1\n"
                + "configuration file " + f + " test failed\n");
    }

    @Test
    void testMissingFile() {
        Path f = dir.resolve("missing.conf");
        Result r = run("-t", "-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.CONFIG);
        assertThat(r.err()).startsWith("open() \"" + f + "\" failed (2: No such file or directory)")
                .endsWith("configuration file " + f + " test failed\n");
    }

    @Test
    void testPrintsWarnings() throws Exception {
        Path f = write("nginx.conf", """
                http {
                    server { listen 127.0.0.1:18081; server_name a.example; }
                    server { listen 127.0.0.1:18081; server_name a.example; }
                }
                """);
        Result r = run("-t", "-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.OK);
        // nginx prints this one without a position too: it is found after parsing, when servers are grouped
        assertThat(r.err()).isEqualTo("[warn] conflicting server name \"a.example\" on 127.0.0.1:18081, ignored\n"
                + "the configuration file " + f + " syntax is ok\n"
                + "configuration file " + f + " test is successful\n");
    }

    @Test
    void testPrintsNoticesWithWarningsInTheirOrder() throws Exception {
        Path f = write("nginx.conf", """
                http {
                    server {
                        listen 127.0.0.1:18082;
                        jwt_secret "sixteen-byte-key";
                        location = /health { return 200; }
                    }
                }
                """);
        Result r = run("-t", "-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.OK);
        assertThat(r.err()).isEqualTo("[warn] jwt_secret: HMAC secret of 16 bytes is shorter than the HS256 hash "
                + "output (32 bytes) in " + f + ":4\n"
                + "[notice] \"return\" answers before the JWT check of this location: requests here are not "
                + "authenticated in " + f + ":5\n"
                + "the configuration file " + f + " syntax is ok\n"
                + "configuration file " + f + " test is successful\n");
    }

    @Test
    void version() {
        Result r = run("-v");
        assertThat(r.code()).isEqualTo(Exit.OK);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).matches("jwtgate version 0\\.1\\.0\\S*\njava 1[7-9]\\S* \\(.*\\)\ntransport (epoll|nio)\n"
                + "crypto ACCP \\S+ \\(.*\\); JDK \\(.*\\); Bouncy Castle .*\n");
    }

    @Test
    void unknownOptionPrintsUsage() {
        Result r = run("-x");
        assertThat(r.code()).isEqualTo(Exit.CONFIG);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("Unknown option: '-x'\nUsage: jwtgate ");
    }

    @Test
    void help() {
        Result r = run("-h");
        assertThat(r.code()).isEqualTo(Exit.OK);
        assertThat(r.out()).startsWith("Usage: jwtgate ").contains("-t ").contains("demo").contains("token");
    }

    @Test
    void subcommandsAreKnownWhereTheCommandLineCanNameThem() {
        // a gateway start skips picocli's set-up of the subcommands; a command that names one still finds it
        assertThat(Main.mayNameSubcommand()).isFalse();
        assertThat(Main.mayNameSubcommand("-c", "nginx.conf", "-t")).isFalse();
        assertThat(Main.mayNameSubcommand("token", "decode", "x")).isTrue();
        assertThat(Main.mayNameSubcommand("-c", "x", "--help")).isTrue();
        Result r = run("token", "decode", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln");
        assertThat(r.code()).isEqualTo(Exit.OK);
        assertThat(r.out()).contains("\"sub\" : \"a\"");
        Result typo = run("tokn");
        assertThat(typo.code()).isEqualTo(Exit.CONFIG);
        assertThat(typo.err()).contains("'tokn'").contains("token");
        Result late = run("-c", "nginx.conf", "demo");
        assertThat(late.code()).isEqualTo(Exit.CONFIG);
        assertThat(late.err()).startsWith("Unmatched argument at index 2: 'demo'");
    }

    /** The gateway's own options, read without picocli: every field as picocli reads the same words ("|" between). */
    @ParameterizedTest
    @ValueSource(strings = {"", "-t", "-v", "-c|a.conf", "-t|-c|a.conf", "-c|a.conf|-t", "-c|dir/a b.conf",
            "-s|reload", "-s|quit|-c|x.conf", "-c|x.conf|-s|stop", "-v|-c|a.conf", "-v|-t"})
    void plainCommandLinesReadAsPicocliReadsThem(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split("\\|");
        Main plain = Main.plainOptions(args);
        Main parsed = new Main();
        new CommandLine(parsed).parseArgs(args);
        assertThat(plain).as(line).isNotNull();
        assertThat(List.of(plain.conf, plain.test, String.valueOf(plain.signal), plain.version))
                .as(line).isEqualTo(List.of(parsed.conf, parsed.test, String.valueOf(parsed.signal), parsed.version));
    }

    /** Everything else goes to picocli, which owns usage, help and the error texts. */
    @ParameterizedTest
    @ValueSource(strings = {"-h", "-?", "--help", "demo", "token|decode|x", "-x", "-c", "-c|a|-c|b", "-t|-t",
            "-v|-v", "-s", "-s|restart", "-t|-s|reload", "-c|-t", "-tv", "-ca.conf", "-c=a.conf", "-c|a|nginx.conf",
            "--", "-c|a|--help", "-c|a\u0000b", "-c|@args", "@args"})
    void everythingElseIsLeftToPicocli(String line) {
        assertThat(Main.plainOptions(line.split("\\|"))).as(line).isNull();
    }

    @Test
    void unknownSignal() throws Exception {
        Path f = write("nginx.conf", "pid x.pid;\n");
        Result r = run("-s", "restart", "-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.CONFIG);
        assertThat(r.err())
                .startsWith("invalid option: \"-s restart\" (expected: reload, reopen, quit or stop)\nUsage:");
    }

    @Test
    void testAndSignalTogether() {
        assertThat(run("-t", "-s", "reload").code()).isEqualTo(Exit.CONFIG);
    }

    @Test
    void signalWithoutPidDirective() throws Exception {
        Path f = write("nginx.conf", "events { }\n");
        Result r = run("-s", "reload", "-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.CONFIG);
        assertThat(r.err()).isEqualTo("no \"pid\" directive in " + f + "\n");
    }

    @Test
    void signalWithBrokenConfiguration() throws Exception {
        Path f = write("nginx.conf", "pid x.pid;\nbogus;\n");
        Result r = run("-s", "stop", "-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.CONFIG);
        assertThat(r.err()).isEqualTo("unknown directive \"bogus\" in " + f + ":2\n");
    }

    @Test
    void signalWithoutRunningInstance() throws Exception {
        Path f = write("nginx.conf", "pid run/x.pid;\n");
        Result r = run("-s", "quit", "-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.RUNTIME);
        assertThat(r.err()).isEqualTo("open() \"" + dir.toAbsolutePath().resolve("run/x.pid")
                + "\" failed (2: No such file or directory)\n");
    }

    @Test
    void signalWithGarbagePidFile() throws Exception {
        Path f = write("nginx.conf", "pid x.pid;\n");
        write("x.pid", "abc\n");
        Result r = run("-s", "quit", "-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.RUNTIME);
        assertThat(r.err()).isEqualTo("invalid PID number \"abc\" in \"" + dir.toAbsolutePath().resolve("x.pid")
                + "\"\n");
    }

    @Test
    void runWithBrokenConfigurationStartsNothing() throws Exception {
        Path f = write("nginx.conf", "http { server { listen 127.0.0.1:18082; location / { retrun 200; } } }\n");
        Result r = run("-c", f.toString());
        assertThat(r.code()).isEqualTo(Exit.CONFIG);
        assertThat(r.err()).isEqualTo("unknown directive \"retrun\" in " + f + ":1\n");
    }
}
