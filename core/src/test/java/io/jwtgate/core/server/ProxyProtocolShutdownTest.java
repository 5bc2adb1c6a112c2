package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A graceful shutdown on a {@code proxy_protocol} listener: a connection that sent only its PROXY header waits for a
 * request and is closed at once, as nginx closes it; one whose request is half-way in after the header finishes it.
 */
class ProxyProtocolShutdownTest {

    static final String HEADER = "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n";

    @Test
    void theHeaderIsNoRequestInProgress() throws Exception {
        TestGateway gw = TestGateway.start("""
                http {
                    server {
                        listen 127.0.0.1:%d proxy_protocol;
                        location / { return 200 "$proxy_protocol_addr"; }
                    }
                }
                """.formatted(TestGateway.freePort()), CoreModules::create);
        try (RawHttpClient idle = RawHttpClient.connect(gw.port());
                RawHttpClient partial = RawHttpClient.connect(gw.port())) {
            idle.send(HEADER);
            // a first request answered: the gateway is reading this connection, and reads the second one's start
            partial.send(HEADER + "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(partial.readResponse().code()).isEqualTo(200);
            partial.send("GET /2 HTTP/1.1\r\nHost: a\r\n");
            // nothing tells from outside that the bytes were read; a second is ample even on a loaded machine (an
            // unread header would be closed anyway, an unread request start too)
            Thread.sleep(1000);
            CompletableFuture<Void> quit = CompletableFuture.runAsync(gw::quit);
            assertThat(idle.isClosedByPeer(Duration.ofSeconds(2))).isTrue();
            assertThat(partial.isClosedByPeer(Duration.ofMillis(300))).isFalse();
            RawResponse r = partial.send("\r\n").readResponse();
            assertThat(r.code()).isEqualTo(200);
            assertThat(new String(r.body())).isEqualTo("192.0.2.1");
            quit.get();
        } finally {
            gw.close();
        }
    }
}
