package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.SubrequestOptions;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Subrequests (as jwt_key_request makes them) through a proxied location; pipelined requests keep their order. */
class SubrequestAndPipeliningTest {

    /** Answers {@code /probe} with what a subrequest to {@code /internal/keys} returned. */
    static final class Probe extends HttpModule {
        Probe() {
            super("probe");
        }

        @Override
        public List<Directive> directives() {
            return List.of();
        }

        @Override
        public void postconfiguration(HttpInit init) {
            init.addHandler(Phase.PREACCESS, this::handle);
        }

        private int handle(HttpExchange x) {
            if (x.isSubrequest() || !x.uri().equals("/probe")) {
                return PhaseHandler.DECLINED;
            }
            x.subrequest("/internal/keys", SubrequestOptions.keepBody(65536), sub -> { }, result -> x.sendResponse(200,
                    Response.of("text/plain", result.status() + " " + new String(result.body(),
                            StandardCharsets.UTF_8))));
            return PhaseHandler.ASYNC;
        }
    }

    @Test
    void subrequestToProxiedLocation() throws Exception {
        try (TestBackend backend = TestBackend.start().reply(Reply.status(200, "{\"keys\":[]}"));
                TestGateway gw = TestGateway.start(Gateways.conf("", """
                        location /internal/ { internal; proxy_pass http://%s/jwks/; }
                        location = /probe { }
                        location / { return 404; }
                        """.formatted(backend.hostPort())), () -> {
                    List<HttpModule> all = new ArrayList<>(CoreModules.create());
                    all.add(new Probe());
                    all.addAll(ProxyModules.create());
                    return all;
                })) {
            RawResponse r = RawHttpClient.get(gw.port(), "/probe");
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo("200 {\"keys\":[]}");
            assertThat(backend.lastRequest().uri()).isEqualTo("/jwks/keys");
            assertThat(RawHttpClient.get(gw.port(), "/internal/keys").code()).isEqualTo(404);
        }
    }

    @Test
    void pipelinedRequestsKeepTheirOrderWithoutPool() throws Exception {
        try (TestBackend backend = TestBackend.start();
                TestGateway gw = Gateways.start("", "location / { proxy_pass http://" + backend.hostPort() + "; }");
                RawHttpClient c = RawHttpClient.connect(gw.port())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                if (i % 3 == 0) {
                    batch.append("POST /p").append(i).append(" HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
                } else {
                    batch.append("GET /p").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
                }
            }
            c.send(batch.toString());
            for (int i = 0; i < 10; i++) {
                RawResponse r = c.readResponse();
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.bodyString()).contains("\"uri\":\"/p" + i + "\"");
            }
            assertThat(backend.acceptedConnections()).isEqualTo(10);
        }
    }
}
