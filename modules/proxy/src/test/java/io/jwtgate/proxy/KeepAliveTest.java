package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.Behaviour;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** Upstream keep-alive pools: reuse with nginx's recipe, one connection per request without it, stale connections. */
class KeepAliveTest {

    private static final String POOLED = """
                        location / {
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_pass http://pool;
                        }
                        location /plain/ { proxy_pass http://pool; }
                        location /http11close/ {
                            proxy_http_version 1.1;
                            proxy_pass http://pool;
                        }
            """;

    @Test
    void fiftySequentialRequestsReuseOneConnection() throws Exception {
        try (TestBackend backend = TestBackend.start();
                TestGateway gw = Gateways.start("upstream pool { server " + backend.hostPort() + "; keepalive 8; }",
                        POOLED)) {
            for (int i = 0; i < 50; i++) {
                RawResponse r = RawHttpClient.get(gw.port(), "/r" + i);
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.isBodyComplete()).isTrue();
            }
            assertThat(backend.requestCount()).isEqualTo(50);
            assertThat(backend.acceptedConnections()).isEqualTo(1);
            assertThat(backend.lastRequest().version()).isEqualTo("HTTP/1.1");
            assertThat(backend.lastRequest().header("Connection")).isNull();
        }
    }

    @Test
    void pipelinedRequestsOnOneClientConnectionReuseToo() throws Exception {
        try (TestBackend backend = TestBackend.start();
                TestGateway gw = Gateways.start("upstream pool { server " + backend.hostPort() + "; keepalive 8; }",
                        POOLED);
                RawHttpClient c = RawHttpClient.connect(gw.port())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                batch.append("GET /p").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
            }
            c.send(batch.toString());
            for (int i = 0; i < 20; i++) {
                RawResponse r = c.readResponse();
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.bodyString()).contains("\"uri\":\"/p" + i + "\"");
            }
            assertThat(backend.acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void withoutKeepaliveRecipeEachRequestUsesANewConnection() throws Exception {
        try (TestBackend backend = TestBackend.start();
                TestGateway gw = Gateways.start("upstream pool { server " + backend.hostPort() + "; keepalive 8; }",
                        POOLED)) {
            for (int i = 0; i < 10; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/plain/" + i).code()).isEqualTo(200);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/http11close/" + i).code()).isEqualTo(200);
            }
            assertThat(backend.acceptedConnections()).isEqualTo(20);
            assertThat(backend.lastRequest().header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void withoutKeepaliveDirectiveEachRequestUsesANewConnection() throws Exception {
        try (TestBackend backend = TestBackend.start();
                TestGateway gw = Gateways.start("upstream pool { server " + backend.hostPort() + "; }", POOLED)) {
            for (int i = 0; i < 10; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/r" + i).code()).isEqualTo(200);
            }
            assertThat(backend.acceptedConnections()).isEqualTo(10);
        }
    }

    @Test
    void connectionClosedByUpstreamWhileIdleIsEvicted() throws Exception {
        try (TestBackend backend = TestBackend.start();
                TestGateway gw = Gateways.start("upstream pool { server " + backend.hostPort() + "; keepalive 8; }",
                        POOLED)) {
            // the reply closes the connection after it is sent, although the response said nothing
            backend.reply(Reply.echo());
            assertThat(RawHttpClient.get(gw.port(), "/a").code()).isEqualTo(200);
            backend.reply(Reply.status(200, "bye").header("Connection", "close"));
            assertThat(RawHttpClient.get(gw.port(), "/b").code()).isEqualTo(200);
            backend.reply(Reply.echo());
            assertThat(RawHttpClient.get(gw.port(), "/c").code()).isEqualTo(200);
            assertThat(backend.acceptedConnections()).isEqualTo(2);
        }
    }

    @Test
    void staleConnectionIsRetriedOnAFreshOne() throws Exception {
        try (TestBackend backend = TestBackend.start();
                TestGateway gw = Gateways.start("upstream pool { server " + backend.hostPort() + "; keepalive 8; }",
                        POOLED)) {
            assertThat(RawHttpClient.get(gw.port(), "/a").code()).isEqualTo(200);
            // the upstream drops the kept connection when the next request arrives on it
            backend.behaviour(Behaviour.sequence(Reply.close(), Reply.echo()));
            RawResponse r = RawHttpClient.get(gw.port(), "/b");
            assertThat(r.code()).isEqualTo(200);
            assertThat(backend.acceptedConnections()).isEqualTo(2);
        }
    }

    @Test
    void idleConnectionsExpireAfterKeepaliveTimeout() throws Exception {
        try (TestBackend backend = TestBackend.start();
                TestGateway gw = Gateways.start("upstream pool { server " + backend.hostPort()
                        + "; keepalive 8; keepalive_timeout 200ms; }", POOLED)) {
            assertThat(RawHttpClient.get(gw.port(), "/a").code()).isEqualTo(200);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (backend.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(backend.openConnections()).isZero();
        }
    }
}
