package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code jwtgate -c} as a real process: it serves, writes and removes its pid file, and obeys {@code -s reload},
 * {@code -s quit} and {@code -s stop}, which the tests send through {@link Main} like an operator would.
 */
class GatewayProcessTest extends GatewayProcessFixture {

    @Test
    void servesReloadsKeepsOldConfigurationOnErrorAndStops() throws Exception {
        int port = TestGateway.freePort();
        writeConf(config(port, "location / { return 200 \"one\"; }"));
        try (ChildProcess gw = startGateway(port)) {
            assertThat(body(port, "/")).isEqualTo("one");
            assertThat(errorLog()).contains("transport ").contains("listening on 127.0.0.1:" + port);

            Files.writeString(conf, config(port, "location / { return 200 \"two\"; }"));
            assertThat(control("reload")).isEqualTo(Exit.OK);
            assertThat(body(port, "/")).as("-s reload returns once the new configuration serves").isEqualTo("two");

            Files.writeString(conf, config(port, "location / { return 200 \"three\" }"));
            assertThat(control("reload")).as("-s reads the broken file too, and refuses").isEqualTo(Exit.CONFIG);
            assertThat(Signals.send("HUP", gw.pid())).isNull(); // as `kill -HUP` would
            gw.await("the failed reload in the error log", START,
                    () -> errorLog().contains("keeping the running configuration"));
            assertThat(errorLog()).contains("in " + conf + ":");
            assertThat(body(port, "/")).isEqualTo("two");

            Files.writeString(conf, config(port, "location / { return 200 \"two\"; }")); // -s must read it
            assertThat(control("stop")).isEqualTo(Exit.OK);
            assertThat(gw.waitFor(START)).isEqualTo(Exit.OK);
            assertThat(pid).doesNotExist();
            assertThat(accepts(port)).isFalse();
            assertThat(errorLog()).contains("fast shutdown");
            // everything went to error.log: nothing from logging's own set-up (an SLF4J replay warning when Netty
            // logged while the main thread set logging up, a Logback status line) reaches standard error
            assertThat(gw.stderr()).isEmpty();
        }
    }

    @Test
    void testInAProcessPrintsOnlyNginxsTwoLines() throws Exception {
        writeConf(config(TestGateway.freePort(), "location / { return 204; }"));
        try (ChildProcess t = ChildProcess.start(dir, "-t", "-c", conf.toString())) {
            assertThat(t.waitFor(START)).isEqualTo(Exit.OK);
            assertThat(t.stdout()).isEmpty();
            assertThat(t.stderr()).isEqualTo("the configuration file " + conf + " syntax is ok\n"
                    + "configuration file " + conf + " test is successful\n");
        }
    }

    /**
     * A client that reads slowly keeps a 16 MiB response in flight (a 4 KiB receive window, more than the kernel's
     * socket buffers can absorb): after {@code -s quit} the listen socket is closed at once, but the process waits
     * until the last byte is delivered, closes that connection, and only then exits.
     */
    @Test
    void quitDrainsAResponseInFlight() throws Exception {
        int port = TestGateway.freePort();
        int size = 16 * 1024 * 1024;
        writeConf(config(port, "location /big { return 200 \"" + "x".repeat(size) + "\"; }"));
        try (ChildProcess gw = startGateway(port); Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.setSoTimeout(20_000);
            client.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = client.getOutputStream();
            out.write("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = client.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("Content-Length: " + size + "\r\n");
            Thread.sleep(300); // let the server fill the socket buffers

            assertThat(control("quit")).isEqualTo(Exit.OK);
            gw.await("the listen socket to close", START, () -> !accepts(port));
            Thread.sleep(500);
            assertThat(gw.isAlive()).as("still sending the response").isTrue();
            assertThat(pid).exists();

            long received = 0;
            byte[] buf = new byte[64 * 1024];
            boolean allX = true;
            int n;
            while (received < size && (n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    allX &= buf[i] == 'x';
                }
                received += n;
            }
            assertThat(received).isEqualTo(size);
            assertThat(allX).isTrue();
            assertThat(in.read()).as("connection closed after the response").isEqualTo(-1);

            assertThat(gw.waitFor(START)).isEqualTo(Exit.OK);
            assertThat(pid).doesNotExist();
            assertThat(errorLog()).contains("graceful shutdown");
        }
    }

    @Test
    void stopCutsAGracefulQuitShort() throws Exception {
        int port = TestGateway.freePort();
        int size = 16 * 1024 * 1024;
        writeConf(config(port, "location /big { return 200 \"" + "x".repeat(size) + "\"; }"));
        try (ChildProcess gw = startGateway(port); Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(new InetSocketAddress("127.0.0.1", port));
            client.getOutputStream().write("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 200 OK");
            assertThat(control("quit")).isEqualTo(Exit.OK);
            gw.await("the graceful shutdown to begin", START, () -> errorLog().contains("graceful shutdown"));
            Thread.sleep(300);
            assertThat(gw.isAlive()).isTrue();
            assertThat(control("stop")).isEqualTo(Exit.OK);
            assertThat(gw.waitFor(Duration.ofSeconds(10))).isEqualTo(Exit.OK);
            assertThat(pid).doesNotExist();
        }
    }

    @Test
    void quitWithoutRequestsExitsAtOnce() throws Exception {
        int port = TestGateway.freePort();
        writeConf(config(port, "location / { return 204; }"));
        try (ChildProcess gw = startGateway(port)) {
            try (RawHttpClient idle = RawHttpClient.connect(port)) {
                // an idle keep-alive connection does not hold a graceful quit up
                idle.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                RawResponse r = idle.readResponse();
                assertThat(r.code()).isEqualTo(204);
                assertThat(control("quit")).isEqualTo(Exit.OK);
                assertThat(gw.waitFor(Duration.ofSeconds(10))).isEqualTo(Exit.OK);
                assertThat(idle.isClosedByPeer()).isTrue();
            }
            assertThat(pid).doesNotExist();
        }
    }

    /**
     * The bind failure is nginx's line, level word and text, as stock nginx writes it for the same occupied port:
     * {@code [emerg] <pid>#<thread>: bind() to 127.0.0.1:<port> failed (98: Address already in use)}.
     */
    @Test
    void bindFailureIsNginxsEmergLineAndExitsWithRuntimeError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            writeConf(config(port, "location / { return 204; }").replace("error_log error.log info;",
                    "error_log stderr;"));
            String jwtgate;
            try (ChildProcess gw = ChildProcess.start(dir, "-c", conf.toString())) {
                assertThat(gw.waitFor(START)).isEqualTo(Exit.RUNTIME);
                jwtgate = emergLine(gw.stderr());
                assertThat(jwtgate).contains("] " + gw.pid() + "#main: ");
                assertThat(pid).doesNotExist();
            }
            String nginx = emergLine(stockNginxErrorLog(port));
            assertThat(shape(jwtgate)).isEqualTo(shape(nginx)).isEqualTo(
                    "[emerg] PID#TID: bind() to 127.0.0.1:" + port + " failed (98: Address already in use)");
        }
    }

    private static String emergLine(String log) {
        return log.lines().filter(l -> l.contains(" [emerg] ")).findFirst()
                .orElseThrow(() -> new AssertionError("no [emerg] line in:\n" + log));
    }

    /** An error log line without its time ({@code yyyy/MM/dd HH:mm:ss }, which must be there) and ids. */
    private static String shape(String line) {
        assertThat(line).matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[.*");
        return line.substring(20).replaceFirst("^(\\[\\w+\\]) \\d+#[^:]+: ", "$1 PID#TID: ");
    }

    /** Stock nginx's error log after it failed to start on {@code port}. */
    private String stockNginxErrorLog(int port) throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        assertThat(nginx).as("stock nginx is needed for this comparison").isExecutable();
        Path prefix = Files.createDirectories(dir.resolve("stock"));
        Path log = prefix.resolve("error.log");
        Files.writeString(prefix.resolve("nginx.conf"), "pid " + prefix.resolve("nginx.pid") + ";\nerror_log " + log
                + " info;\nevents { }\nhttp { access_log off; server { listen 127.0.0.1:" + port + "; } }\n");
        Process p = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-e", log.toString(),
                "-c", prefix.resolve("nginx.conf").toString(), "-g", "daemon off; master_process off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("out.txt").toFile()).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("stock nginx started on an occupied port");
        }
        return Files.readString(log);
    }

    @Test
    void sigtermIsAFastStop() throws Exception {
        int port = TestGateway.freePort();
        writeConf(config(port, "location / { return 204; }"));
        try (ChildProcess gw = startGateway(port)) {
            assertThat(Signals.send("TERM", gw.pid())).isNull();
            assertThat(gw.waitFor(START)).isEqualTo(Exit.OK);
            assertThat(pid).doesNotExist();
        }
    }

    @Test
    void signalToAProcessThatIsGone() throws Exception {
        writeConf(config(TestGateway.freePort(), ""));
        Files.writeString(pid, "999999999\n");
        MainTest.Result r = MainTest.run("-s", "reload", "-c", conf.toString());
        assertThat(r.code()).isEqualTo(Exit.RUNTIME);
        assertThat(r.err()).startsWith("kill(999999999, SIGHUP) failed");
        assertThatThrownBy(() -> PidFile.read(dir.resolve("none.pid"))).hasMessageContaining("No such file");
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the response head: " + head);
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
