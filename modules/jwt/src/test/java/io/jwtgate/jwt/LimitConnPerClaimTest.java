package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static io.jwtgate.jwt.Fixtures.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.limitconn.LimitConnModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code limit_conn} keyed by a claim (docs/limits.md#limit_conn): with {@code jwt_phase preaccess} the check runs
 * before {@code limit_conn} and each user has a count of their own; with the check in the access phase the claim is
 * still empty when {@code limit_conn} runs, and nobody is limited by that zone. The backend never answers, so the
 * requests it received are exactly those in progress.
 */
class LimitConnPerClaimTest {

    @Test
    void eachUserHasTheirOwnCountOnceTheCheckRunsBeforeTheLimit() throws Exception {
        String alice = bearer(hs256(SECRET, claims("alice", "")));
        String bob = bearer(hs256(SECRET, claims("bob", "")));
        List<RawHttpClient> held = new ArrayList<>();
        try (TestBackend backend = TestBackend.start().reply(Reply.never());
                TestGateway gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(),
                        "limit_conn_zone $jwt_claim_sub zone=peruser:1m;", """
                        jwt_secret "%s";
                        add_header X-LC $limit_conn_status always;
                        limit_conn peruser 1;
                        location /pre { jwt_phase preaccess; proxy_pass http://%s; }
                        location /access { proxy_pass http://%s; }
                        """.formatted(SECRET, backend.hostPort(), backend.hostPort())), () -> {
                            List<HttpModule> l = new ArrayList<>(CoreModules.create());
                            l.addAll(ProxyModules.create());
                            l.add(new JwtModule(new Fixtures.TestClock(), CryptoProvider.preferred()));
                            l.add(new LimitConnModule());
                            return l;
                        })) {
            held.add(hold(gw, backend, "/pre/1", alice));
            RawResponse refused = RawHttpClient.get(gw.port(), "/pre/2", alice);
            assertThat(refused.code()).isEqualTo(503);
            assertThat(refused.headers().first("X-LC")).isEqualTo("REJECTED");
            held.add(hold(gw, backend, "/pre/3", bob));
            held.add(hold(gw, backend, "/access/4", alice));
            held.add(hold(gw, backend, "/access/5", alice));
            assertThat(backend.requests()).hasSize(4);
        } finally {
            held.forEach(RawHttpClient::close);
        }
    }

    /** Sends a request that reaches the backend and stays in progress there. */
    private static RawHttpClient hold(TestGateway gw, TestBackend backend, String path, String authorization) {
        RawHttpClient c = RawHttpClient.connect(gw.port()).send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + authorization + "\r\n\r\n");
        RecordedRequest arrived = backend.takeRequest(Duration.ofSeconds(10));
        assertThat(arrived).as(path + " reaches the backend").isNotNull();
        assertThat(arrived.uri()).isEqualTo(path);
        return c;
    }
}
