package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** Round robin over real backends: weights, max_fails/fail_timeout, backup servers. One event loop, as one worker. */
class BalancingTest {

    @Test
    void weightsAreRespectedSmoothly() throws Exception {
        try (TestBackend a = TestBackend.start();
                TestBackend b = TestBackend.start();
                TestGateway gw = Gateways.start("upstream u { server " + a.hostPort() + " weight=3; server "
                        + b.hostPort() + "; }", "location / { proxy_pass http://u; }")) {
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                int before = a.requestCount();
                assertThat(RawHttpClient.get(gw.port(), "/" + i).code()).isEqualTo(200);
                order.append(a.requestCount() > before ? 'a' : 'b');
            }
            assertThat(a.requestCount()).isEqualTo(6);
            assertThat(b.requestCount()).isEqualTo(2);
            // nginx's smooth weighted round robin for 3:1 is a a b a, repeated
            assertThat(order.toString()).isEqualTo("aabaaaba");
        }
    }

    @Test
    void equalWeightsAlternate() throws Exception {
        try (TestBackend a = TestBackend.start();
                TestBackend b = TestBackend.start();
                TestGateway gw = Gateways.start("upstream u { server " + a.hostPort() + "; server "
                        + b.hostPort() + "; }", "location / { proxy_pass http://u; }")) {
            for (int i = 0; i < 10; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/" + i).code()).isEqualTo(200);
            }
            assertThat(a.requestCount()).isEqualTo(5);
            assertThat(b.requestCount()).isEqualTo(5);
        }
    }

    @Test
    void failingPeerIsSkippedForFailTimeout() throws Exception {
        try (TestBackend bad = TestBackend.start().reply(Reply.reset());
                TestBackend good = TestBackend.start();
                TestGateway gw = Gateways.start("upstream u { server " + bad.hostPort()
                        + " max_fails=2 fail_timeout=3s; server " + good.hostPort() + "; }",
                        "location / { proxy_pass http://u; }")) {
            for (int i = 0; i < 20; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/" + i).code()).isEqualTo(200);
            }
            // two failures take it out for fail_timeout (3 s: room for 20 requests on a loaded CI machine)
            assertThat(bad.requestCount()).isEqualTo(2);
            assertThat(good.requestCount()).isEqualTo(20);
            Thread.sleep(3200);
            bad.reply(Reply.echo());
            for (int i = 0; i < 4; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/again" + i).code()).isEqualTo(200);
            }
            // after fail_timeout it gets a try again, succeeds, and is back in rotation
            assertThat(bad.requestCount()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void backupOnlyWhenPrimariesAreDown() throws Exception {
        try (TestBackend primary = TestBackend.start();
                TestBackend backup = TestBackend.start();
                TestGateway gw = Gateways.start("upstream u { server " + primary.hostPort()
                        + " max_fails=1 fail_timeout=30s; server " + backup.hostPort() + " backup; }",
                        "location / { proxy_pass http://u; }")) {
            for (int i = 0; i < 5; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/" + i).code()).isEqualTo(200);
            }
            assertThat(backup.requestCount()).isZero();
            primary.reply(Reply.reset());
            for (int i = 0; i < 5; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/down" + i).code()).isEqualTo(200);
            }
            assertThat(primary.requestCount()).isEqualTo(6);
            assertThat(backup.requestCount()).isEqualTo(5);
        }
    }

    @Test
    void allPeersDownIs502() throws Exception {
        try (TestBackend a = TestBackend.start().reply(Reply.reset());
                TestBackend b = TestBackend.start().reply(Reply.reset());
                TestGateway gw = Gateways.start("upstream u { server " + a.hostPort() + " fail_timeout=30s; server "
                        + b.hostPort() + " fail_timeout=30s; }", "location / { proxy_pass http://u; "
                        + "add_header X-Addr $upstream_addr always; }")) {
            assertThat(RawHttpClient.get(gw.port(), "/1").code()).isEqualTo(502);
            var r = RawHttpClient.get(gw.port(), "/2");
            assertThat(r.code()).isEqualTo(502);
            assertThat(r.header("X-Addr")).isEqualTo("u");
            assertThat(a.requestCount() + b.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void downServerIsNeverUsed() throws Exception {
        try (TestBackend a = TestBackend.start();
                TestBackend b = TestBackend.start();
                TestGateway gw = Gateways.start("upstream u { server " + a.hostPort() + " down; server "
                        + b.hostPort() + "; }", "location / { proxy_pass http://u; }")) {
            for (int i = 0; i < 4; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/" + i).code()).isEqualTo(200);
            }
            assertThat(a.requestCount()).isZero();
        }
    }
}
