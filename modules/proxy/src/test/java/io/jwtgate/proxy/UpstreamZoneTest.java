package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import org.junit.jupiter.api.Test;

/**
 * {@code zone}: with two event loops (nginx: two workers), the peer state of an upstream with a zone is shared, so
 * a server that failed on one loop is skipped on the other; without a zone each loop finds out for itself, as each
 * nginx worker does. Connections go to the loops in turn.
 */
class UpstreamZoneTest {

    private static final int LOOPS = 2;

    @Test
    void aZoneSharesFailuresBetweenLoops() throws Exception {
        int refused = TestGateway.freePort(); // nothing listens there
        try (TestBackend ok = TestBackend.start().reply(Reply.status(200, "ok"));
                TestGateway gw = TestGateway.start("""
                        worker_processes %d;
                        events { }
                        http {
                            upstream shared { zone z 64k; server 127.0.0.1:%d fail_timeout=30s; server %s; }
                            upstream own { server 127.0.0.1:%2$d fail_timeout=30s; server %3$s; }
                            server {
                                listen 127.0.0.1:%d;
                                add_header X-Addr $upstream_addr;
                                location /shared { proxy_pass http://shared; }
                                location /own { proxy_pass http://own; }
                            }
                        }
                        """.formatted(LOOPS, refused, ok.hostPort(), TestGateway.freePort()), Gateways.modules())) {
            assertThat(triesOfRefused(gw.port(), "/shared", refused)).as("with a zone").isEqualTo(1);
            assertThat(triesOfRefused(gw.port(), "/own", refused)).as("without a zone").isEqualTo(LOOPS);
        }
    }

    /** How many of 3 requests per loop, each on a connection of its own, tried the refusing server first. */
    private static int triesOfRefused(int port, String path, int refused) {
        int tried = 0;
        for (int i = 0; i < 3 * LOOPS; i++) {
            var r = RawHttpClient.get(port, path);
            assertThat(r.code()).isEqualTo(200);
            if (r.header("X-Addr").startsWith("127.0.0.1:" + refused + ", ")) {
                tried++;
            }
        }
        return tried;
    }
}
