package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code -s quit} and {@code -s stop} with a proxied request in progress whose backend answers late
 * (docs/operations.md#reload): quit stops accepting at once and waits for the answer, up to
 * {@code worker_shutdown_timeout}; stop cuts it.
 */
class ShutdownTest extends GatewayProcessFixture {

    private String conf(int port, TestBackend backend, String main) {
        return config(port, "location / { proxy_pass http://" + backend.hostPort() + "; }")
                .replace("pid run.pid;", "pid run.pid;\n" + main);
    }

    @Test
    void quitWaitsForASlowBackendsAnswer() throws Exception {
        int port = TestGateway.freePort();
        try (TestBackend backend = TestBackend.start(r -> Reply.delay(Duration.ofSeconds(2),
                Reply.status(200, "late")))) {
            writeConf(conf(port, backend, ""));
            try (ChildProcess gw = startGateway(port); RawHttpClient c = RawHttpClient.connect(port)) {
                c.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(backend.takeRequest(START)).as("the request reached the backend").isNotNull();

                assertThat(control("quit")).isEqualTo(Exit.OK);
                gw.await("the listen socket to close", START, () -> !accepts(port));
                RawResponse r = c.readResponse();
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.bodyString()).isEqualTo("late");
                assertThat(r.header("Connection")).as("the connection ends with the quit").isEqualTo("close");
                assertThat(c.isClosedByPeer()).isTrue();
                assertThat(gw.waitFor(START)).isEqualTo(Exit.OK);
                assertThat(pid).doesNotExist();
            }
        }
    }

    @Test
    void quitCutsARequestStillRunningAfterWorkerShutdownTimeout() throws Exception {
        int port = TestGateway.freePort();
        try (TestBackend backend = TestBackend.start(r -> Reply.delay(Duration.ofSeconds(30),
                Reply.status(200, "too late")))) {
            writeConf(conf(port, backend, "worker_shutdown_timeout 1s;"));
            try (ChildProcess gw = startGateway(port); RawHttpClient c = RawHttpClient.connect(port)) {
                c.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(backend.takeRequest(START)).isNotNull();
                long t0 = System.nanoTime();
                assertThat(control("quit")).isEqualTo(Exit.OK);
                assertThat(gw.waitFor(START)).isEqualTo(Exit.OK);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("worker_shutdown_timeout, not the backend")
                        .isLessThan(Duration.ofSeconds(20));
                assertThatThrownBy(c::readResponse).isInstanceOf(UncheckedIOException.class);
            }
        }
    }

    @Test
    void stopCutsASlowBackendsRequest() throws Exception {
        int port = TestGateway.freePort();
        try (TestBackend backend = TestBackend.start(r -> Reply.delay(Duration.ofSeconds(30),
                Reply.status(200, "too late")))) {
            writeConf(conf(port, backend, ""));
            try (ChildProcess gw = startGateway(port); RawHttpClient c = RawHttpClient.connect(port)) {
                c.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(backend.takeRequest(START)).isNotNull();
                long t0 = System.nanoTime();
                assertThat(control("stop")).isEqualTo(Exit.OK);
                assertThat(gw.waitFor(START)).isEqualTo(Exit.OK);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("at once, not after the backend")
                        .isLessThan(Duration.ofSeconds(20));
                assertThatThrownBy(c::readResponse).isInstanceOf(UncheckedIOException.class);
                assertThat(pid).doesNotExist();
            }
        }
    }
}
