package io.jwtgate.limitconn;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.module.HttpModule;
import io.jwtgate.moduletest.ProbeModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subrequest that comes to a limited location counts for its client request, as nginx's subrequests share
 * {@code r->main->limit_conn_status} and the client request's pool: the slot stays taken until the client request
 * ends, not the subrequest, and the client request is not counted again. {@link ProbeModule} makes the subrequest
 * in the rewrite phase; nginx has no such module, so this test runs on jwtgate only.
 */
class LimitConnSubrequestTest {

    @Test
    void aSubrequestsSlotIsTheClientRequestsUntilItEnds() throws Exception {
        try (GateBackend backend = GateBackend.start(); TestGateway gateway = TestGateway.start("""
                events { }
                http {
                    limit_conn_zone $binary_remote_addr zone=k:1m;
                    server {
                        listen 127.0.0.1:%d;
                        add_header X-LC $limit_conn_status always;
                        location /held { probe /sub; limit_conn k 1; proxy_pass http://127.0.0.1:%2$d; }
                        location /ask { probe /sub; return 200 "$probe\\n"; }
                        location = /sub { limit_conn k 1; proxy_pass http://127.0.0.1:%2$d/quick; }
                    }
                }
                """.formatted(TestGateway.freePort(), backend.port()), () -> {
                    List<HttpModule> modules = LimitConnDifferentialTest.modules();
                    modules.add(0, new ProbeModule());
                    return modules;
                })) {
            // counted once, by its subrequest: its own limit_conn k 1 lets it through to the backend
            RawHttpClient held = Requests.send(gateway.port(), "/held/a");
            backend.awaitHeld(1);
            assertThat(Requests.get(gateway.port(), "/ask")).startsWith("200 [REJECTED] 503|");
            backend.release();
            assertThat(Requests.read(held)).isEqualTo("200 [PASSED] held-a");
            assertThat(Requests.get(gateway.port(), "/ask"))
                    .isEqualTo("200 [PASSED] 200|ok\n|true|null");
        }
    }
}
