package io.jwtgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.TestGateway;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The socket-option parameters of {@code listen}: refused as {@code nginx -t} refuses them, and set on real sockets
 * (the keep-alive timer of an accepted connection, as the kernel shows it through {@code ss}).
 */
class ListenParametersTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"listen 8080 backlog=x;", "listen 8080 backlog=0;", "listen 8080 rcvbuf=x;",
        "listen 8080 sndbuf=-1;", "listen 8080 so_keepalive=x;", "listen 8080 so_keepalive=::;",
        "listen 8080 fastopen=x;", "listen 8080 backlog=10; } server { listen 8080 rcvbuf=8k;",
        "listen 8080 wat=1;"})
    void refusedAsNginx(String listen) throws Exception {
        NginxConfigCheck.assertSameError(dir, "events { }\nhttp {\n    server { " + listen + " }\n}\n",
                CoreModules::create);
    }

    @Test
    void optionsNginxTakesAreTaken() throws Exception {
        NginxConfigCheck.assertAcceptedAlike(dir, """
                events { }
                http {
                    server { listen 8080 so_keepalive=1:2 backlog=16 fastopen=8 deferred reuseport; }
                    server { listen 8081 so_keepalive=off sndbuf=16k rcvbuf=16k; }
                }
                """, CoreModules::create);
    }

    @Test
    void bindAndIpv6onlyAreRefusedWithTheReason() throws Exception {
        assertThat(TestGateway.configError("http { server { listen 8080 bind; } }", CoreModules::create)
                .getMessage()).contains("\"bind\" parameter of \"listen\" is not supported");
    }

    /** {@code so_keepalive=30s:10s:3} on a real socket: the accepted connection carries a keep-alive timer. */
    @Test
    void keepaliveProbesOnAcceptedConnections() throws Exception {
        assertThat(Files.isExecutable(Path.of("/usr/bin/ss"))).as("ss (iproute2) to read socket timers").isTrue();
        int port = TestGateway.freePort();
        try (TestGateway gw = TestGateway.start("""
                http {
                    server {
                        listen 127.0.0.1:%d backlog=64 rcvbuf=64k sndbuf=64k so_keepalive=30s:10s:3 deferred;
                        location / { return 200 "ok"; }
                    }
                }
                """.formatted(port), CoreModules::create);
                Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(15), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 200 OK");
            Process ss = new ProcessBuilder("/usr/bin/ss", "-tnoH", "state", "established", "( sport = :" + port + " )")
                    .redirectErrorStream(true).start();
            String out;
            try (InputStream in = ss.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(ss.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(out).contains("timer:(keepalive,");
        }
    }
}
