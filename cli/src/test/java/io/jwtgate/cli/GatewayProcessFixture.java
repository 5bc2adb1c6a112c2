package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** A configuration in a temporary directory and a real {@code jwtgate -c} process serving it, for the tests. */
abstract class GatewayProcessFixture {

    static final Duration START = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    Path conf;
    Path pid;
    Path errorLog;

    String config(int port, String extra) {
        return """
                pid run.pid;
                error_log error.log info;
                events { worker_connections 64; }
                http {
                    server {
                        listen 127.0.0.1:%d;
                        %s
                    }
                }
                """.formatted(port, extra);
    }

    void writeConf(String text) throws IOException {
        conf = dir.resolve("nginx.conf");
        pid = dir.resolve("run.pid");
        errorLog = dir.resolve("error.log");
        Files.writeString(conf, text);
    }

    ChildProcess startGateway(int port) throws Exception {
        ChildProcess gw = ChildProcess.start(dir, "-c", conf.toString());
        gw.await("the pid file and the listen socket", START, () -> Files.exists(pid) && accepts(port));
        assertThat(Files.readString(pid)).isEqualTo(gw.pid() + "\n");
        return gw;
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String errorLog() {
        try {
            return Files.exists(errorLog) ? Files.readString(errorLog) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int control(String signal) {
        return MainTest.run("-s", signal, "-c", conf.toString()).code();
    }

    static String body(int port, String path) {
        try {
            return RawHttpClient.get(port, path).bodyString();
        } catch (UncheckedIOException e) {
            return "(" + e.getCause() + ")";
        }
    }
}
