package io.jwtgate.authrequest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The auth subrequest's upstream connection ends with the need for it: when the client goes away while the auth
 * service has not answered, when the service has answered its head but is still sending a body, and when it does
 * not answer within {@code proxy_read_timeout}.
 */
class AuthRequestCancelTest {

    private static TestGateway gateway(TestBackend auth, TestBackend content) throws Exception {
        return gateway(auth, content, "60s");
    }

    private static TestGateway gateway(TestBackend auth, TestBackend content, String readTimeout) throws Exception {
        return TestGateway.start("""
                http {
                    server {
                        listen 127.0.0.1:%d;
                        location / { auth_request /_auth; proxy_pass http://127.0.0.1:%d; }
                        location = /_auth {
                            internal;
                            proxy_pass http://127.0.0.1:%d;
                            proxy_read_timeout %s;
                        }
                    }
                }
                """.formatted(TestGateway.freePort(), content.port(), auth.port(), readTimeout),
                AuthRequestDifferentialTest.MODULES);
    }

    @Test
    void clientGoingAwayClosesTheAuthConnection() throws Exception {
        try (TestBackend auth = TestBackend.start(r -> Reply.never());
                TestBackend content = TestBackend.start();
                TestGateway gw = gateway(auth, content)) {
            RawHttpClient c = RawHttpClient.connect(gw.port());
            c.send("GET /a HTTP/1.1\r\nHost: a.test\r\n\r\n");
            waitFor(() -> auth.requestCount() == 1 && auth.openConnections() == 1);
            c.close();
            waitFor(() -> auth.openConnections() == 0);
            assertThat(content.requestCount()).isZero();
            // the gateway goes on serving
            auth.behaviour(r -> Reply.status(204, ""));
            RawResponse r = RawHttpClient.get(gw.port(), "/b");
            assertThat(r.code()).isEqualTo(200);
        }
    }

    @Test
    void aBodyAfterTheHeadIsNotRead() throws Exception {
        try (TestBackend auth = TestBackend.start(r -> Reply.stream(1L << 40));
                TestBackend content = TestBackend.start()) {
            try (TestGateway gw = gateway(auth, content)) {
                RawResponse r = RawHttpClient.get(gw.port(), "/a");
                assertThat(r.code()).isEqualTo(200);
                // a terabyte announced: the connection is closed long before, as nginx's header-only subrequest
                waitFor(() -> auth.openConnections() == 0);
                assertThat(content.requestCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void aServiceThatHangsGives500AndItsConnectionIsClosed() throws Exception {
        try (TestBackend auth = TestBackend.start(r -> Reply.never());
                TestBackend content = TestBackend.start();
                TestGateway gw = gateway(auth, content, "300ms")) {
            for (int i = 0; i < 3; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/a").code()).isEqualTo(500);
            }
            waitFor(() -> auth.acceptedConnections() == 3 && auth.openConnections() == 0);
            assertThat(content.requestCount()).isZero();
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
