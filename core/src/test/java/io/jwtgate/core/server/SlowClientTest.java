package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Slow clients cannot hold a worker: the header and keep-alive timeouts close their connections. */
class SlowClientTest {

    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start("""
                http {
                    client_header_timeout 1s;
                    keepalive_timeout 1s;
                    server {
                        listen 127.0.0.1:%d;
                        location / { return 200 "ok"; }
                    }
                }
                """.formatted(TestGateway.freePort()), CoreModules::create);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void halfAHeaderIsCutOffAfterClientHeaderTimeout() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            long t0 = System.nanoTime();
            c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ");
            assertThat(c.isClosedByPeer(Duration.ofSeconds(5))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(500),
                    Duration.ofSeconds(4));
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterKeepaliveTimeout() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().code()).isEqualTo(200);
            long t0 = System.nanoTime();
            assertThat(c.isClosedByPeer(Duration.ofSeconds(5))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(500),
                    Duration.ofSeconds(4));
        }
    }

    @Test
    void aConnectionThatNeverSpeaksIsClosed() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            assertThat(c.isClosedByPeer(Duration.ofSeconds(5))).isTrue();
        }
    }
}
