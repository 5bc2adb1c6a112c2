package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.testing.TestGateway;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code -s reload} waits for the running gateway's verdict ({@link ReloadStatus}) and exits with it. */
class ReloadVerdictTest extends GatewayProcessFixture {

    /**
     * A configuration the command itself can load but the gateway cannot apply (its new listen port is taken):
     * exit 3 and nginx's reason, the gateway goes on with the old configuration; fixed, exit 0. Two commands at
     * once both get the verdict of a reload that read the file after they started.
     */
    @Test
    void rejectedReloadExitsWithTheReasonAndTheOldConfigurationKeepsServing() throws Exception {
        int port = TestGateway.freePort();
        writeConf(config(port, "location / { return 200 \"one\"; }"));
        try (ChildProcess gw = startGateway(port);
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String occupied = "listen 127.0.0.1:" + taken.getLocalPort() + ";";
            Files.writeString(conf, config(port, occupied + " location / { return 200 \"two\"; }"));
            MainTest.Result r = MainTest.run("-s", "reload", "-c", conf.toString());
            assertThat(r.code()).isEqualTo(Exit.REJECTED);
            assertThat(r.err()).isEqualTo("bind() to 127.0.0.1:" + taken.getLocalPort()
                    + " failed (98: Address already in use); the running configuration is kept\n");
            assertThat(body(port, "/")).isEqualTo("one");
            assertThat(errorLog()).contains("[emerg]").contains("keeping the running configuration");

            List<CompletableFuture<MainTest.Result>> both = List.of(
                    CompletableFuture.supplyAsync(() -> MainTest.run("-s", "reload", "-c", conf.toString())),
                    CompletableFuture.supplyAsync(() -> MainTest.run("-s", "reload", "-c", conf.toString())));
            for (CompletableFuture<MainTest.Result> f : both) {
                assertThat(f.get().code()).as(f.get().err()).isEqualTo(Exit.REJECTED);
            }

            // the file left by the rejections must not answer for this one
            Files.writeString(conf, config(port, "location / { return 200 \"three\"; }"));
            MainTest.Result ok = MainTest.run("-s", "reload", "-c", conf.toString());
            assertThat(ok.code()).as(ok.err()).isEqualTo(Exit.OK);
            assertThat(ok.err()).isEmpty();
            assertThat(body(port, "/")).isEqualTo("three");
            assertThat(gw.isAlive()).isTrue();
        }
    }

    /** A verdict from another process (an earlier instance's file) or an older generation is not an answer. */
    @Test
    void staleStatusIsNoVerdictAndTheWaitEnds() throws Exception {
        Path status = dir.resolve("run.pid.reload");
        long me = ProcessHandle.current().pid();
        Files.writeString(status, "1 7 failed an earlier instance's reason\n");
        assertThat(ReloadStatus.baseline(status, me)).isZero();
        Files.writeString(status, me + " 7 failed an earlier reason\n");
        assertThat(ReloadStatus.baseline(status, me)).isEqualTo(7);
        assertThatThrownBy(() -> ReloadStatus.await(status, me, 7, Duration.ofMillis(300)))
                .hasMessage("no answer to the reload from process " + me + " in 0s (" + status
                        + " not updated); see its error log");
        Files.writeString(status, me + " 8 reloading\n");
        assertThatThrownBy(() -> ReloadStatus.await(status, me, 7, Duration.ofMillis(300)))
                .hasMessageStartingWith("no answer to the reload");
        Files.writeString(status, me + " 8 ok\n");
        assertThat(ReloadStatus.await(status, me, 7, Duration.ofMillis(300)).state())
                .isEqualTo(ReloadStatus.State.OK);
    }

    /** A process that ignores HUP never answers: {@code -s reload} gives up with a clear message, exit 2. */
    @Test
    void noAnswerIsATimeout() throws Exception {
        Process deaf = new ProcessBuilder("sh", "-c", "trap '' HUP; exec sleep 30").start();
        try {
            Path status = dir.resolve("deaf.pid.reload");
            assertThat(Signals.send("HUP", deaf.pid())).isNull();
            assertThatThrownBy(() -> ReloadStatus.await(status, deaf.pid(), 0, Duration.ofMillis(500)))
                    .hasMessageStartingWith("no answer to the reload from process " + deaf.pid() + " in ");
            assertThat(deaf.isAlive()).isTrue();
        } finally {
            deaf.destroyForcibly();
            deaf.waitFor();
        }
        assertThatThrownBy(() -> ReloadStatus.await(dir.resolve("x"), deaf.pid(), 0, Duration.ofSeconds(5)))
                .hasMessage("process " + deaf.pid() + " exited before it answered the reload");
    }
}
