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
import io.jwtgate.limitreq.LimitReqModule;
import io.jwtgate.testing.EchoModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's per-client rate control after authentication (docs/limits.md#per-client-limits-on-a-jwt-claim): a
 * {@code limit_req} keyed by {@code $jwt_claim_sub}, over real sockets, with the modules in the gateway's order.
 * {@code rate=1r/m} makes every outcome certain: a user's second request within the minute is over the limit.
 */
class PerClaimLimitTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        String http = """
                limit_req_zone $jwt_claim_sub zone=per_user:1m rate=1r/m;
                limit_req_zone $jwt_claim_sub zone=late_user:1m rate=1r/m;
                limit_req_status 429;
                """;
        String server = """
                jwt_secret "%s";
                location /api {
                    jwt_phase preaccess;
                    limit_req zone=per_user;
                    echo "served $jwt_claim_sub $limit_req_status";
                }
                location /late {
                    limit_req zone=late_user;
                    echo "served $jwt_claim_sub $limit_req_status";
                }
                """.formatted(SECRET);
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), http, server), () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new EchoModule());
            l.add(new JwtModule(clock, CryptoProvider.preferred()));
            l.add(new LimitReqModule());
            l.add(new LimitConnModule());
            return l;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static RawResponse get(String path, String user) {
        return RawHttpClient.get(gw.port(), path, bearer(hs256(SECRET, claims(user, ""))));
    }

    @Test
    void oneUserOverTheLimitIsRefusedWhileAnotherIsServed() {
        RawResponse first = get("/api", "alice");
        assertThat(first.code()).isEqualTo(200);
        assertThat(first.bodyString()).isEqualTo("served alice PASSED");
        assertThat(get("/api", "alice").code()).isEqualTo(429);
        RawResponse bob = get("/api", "bob");
        assertThat(bob.code()).isEqualTo(200);
        assertThat(bob.bodyString()).isEqualTo("served bob PASSED");
        assertThat(get("/api", "bob").code()).isEqualTo(429);
        assertThat(get("/api", "alice").code()).isEqualTo(429);
    }

    @Test
    void aRequestWithoutAValidTokenIsRefusedBeforeItCountsAgainstAnyone() {
        assertThat(RawHttpClient.get(gw.port(), "/api").code()).isEqualTo(401);
        assertThat(RawHttpClient.get(gw.port(), "/api", bearer(hs256("another-secret-of-at-least-32-bytes!!",
                claims("carol", "")))).code()).isEqualTo(401);
        assertThat(get("/api", "carol").code()).isEqualTo(200);
    }

    /** With the check in the access phase the limit runs first, sees an empty key, and limits nobody. */
    @Test
    void aLimitBeforeTheAccessPhaseCheckSeesNoClaim() {
        for (int i = 0; i < 3; i++) {
            RawResponse r = get("/late", "dave");
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo("served dave ");
        }
    }
}
