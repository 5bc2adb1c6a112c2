package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code worker_connections} bounds the open connections; the next one is closed at once. */
class ConnectionLimitTest {

    @Test
    void connectionsBeyondTheLimitAreClosed() throws Exception {
        try (TestGateway gw = TestGateway.start("""
                worker_processes 1;
                events { worker_connections 3; }
                http { server { listen 127.0.0.1:%d; location / { return 200 "ok"; } } }
                """.formatted(TestGateway.freePort()), CoreModules::create)) {
            List<RawHttpClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawHttpClient c = RawHttpClient.connect(gw.port());
                    c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(c.readResponse().code()).isEqualTo(200);
                    held.add(c);
                }
                try (RawHttpClient extra = RawHttpClient.connect(gw.port())) {
                    assertThat(extra.isClosedByPeer()).isTrue();
                }
                held.remove(0).close();
                // the server notices the close on its own loop; a new connection is admitted once it has
                boolean admitted = false;
                for (int i = 0; i < 100 && !admitted; i++) {
                    try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
                        c.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                        admitted = c.readResponse().code() == 200;
                    } catch (RuntimeException closed) {
                        Thread.onSpinWait();
                    }
                }
                assertThat(admitted).isTrue();
            } finally {
                held.forEach(RawHttpClient::close);
            }
        }
    }
}
