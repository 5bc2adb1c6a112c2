package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.assertInvalid;
import static io.jwtgate.jwt.Fixtures.assertNoToken;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static io.jwtgate.jwt.Fixtures.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.access.AccessModule;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.map.MapModule;
import io.jwtgate.testing.EchoModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JWT module next to {@code map} and {@code allow}/{@code deny} with {@code satisfy}, over real sockets. */
class WithOtherModulesTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        String http = """
                map $jwt_claim_role $is_admin { admin 1; default 0; }
                map $jwt_claim_tier $upstream_pool { gold fast; default slow; }
                """;
        String server = """
                jwt_secret "%s";
                location /admin { jwt_require $is_admin error=403; echo "admin $is_admin $upstream_pool"; }
                location /any-denied { satisfy any; allow 10.0.0.0/8; deny all; echo "any-denied"; }
                location /any-allowed { satisfy any; allow 127.0.0.1; deny all; echo "any-allowed"; }
                location /all-denied { satisfy all; deny 127.0.0.1; echo "all-denied"; }
                location /pre-any { jwt_phase preaccess; satisfy any; allow 127.0.0.1; echo "pre-any"; }
                location /access-any { jwt_phase access; satisfy any; allow 127.0.0.1; echo "access-any"; }
                """.formatted(SECRET);
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), http, server), () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new EchoModule());
            l.add(new AccessModule());
            l.add(new MapModule());
            l.add(new JwtModule(clock, CryptoProvider.preferred()));
            return l;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static RawResponse get(String path, String... headers) {
        return RawHttpClient.get(gw.port(), path, headers);
    }

    @Test
    void mapOnAClaim() {
        RawResponse ok = get("/admin", bearer(hs256(SECRET, claims("a", "\"role\":\"admin\",\"tier\":\"gold\""))));
        assertThat(ok.code()).isEqualTo(200);
        assertThat(ok.bodyString()).isEqualTo("admin 1 fast");
        RawResponse denied = get("/admin", bearer(hs256(SECRET, claims("a", "\"role\":\"user\""))));
        assertThat(denied.code()).isEqualTo(403);
        assertThat(denied.bodyString()).contains("requirement failed");
    }

    @Test
    void satisfyAnyBothDenyGivesTheJwtChallenge() {
        assertNoToken(get("/any-denied"));
        assertInvalid(get("/any-denied", bearer("x.y.z")), "malformed token");
        assertThat(get("/any-denied", bearer(hs256(SECRET, claims("a", "")))).bodyString()).isEqualTo("any-denied");
    }

    @Test
    void satisfyAnyAllowWinsWithoutToken() {
        RawResponse r = get("/any-allowed");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.headers("WWW-Authenticate")).isEmpty();
        assertThat(get("/any-allowed", bearer("garbage")).code()).isEqualTo(200);
    }

    @Test
    void satisfyAllDenyWinsEvenWithAValidToken() {
        assertThat(get("/all-denied", bearer(hs256(SECRET, claims("a", "")))).code()).isEqualTo(403);
    }

    @Test
    void preaccessRunsBeforeSatisfyAny() {
        assertNoToken(get("/pre-any"));
        assertThat(get("/pre-any", bearer(hs256(SECRET, claims("a", "")))).code()).isEqualTo(200);
        assertThat(get("/access-any").code()).isEqualTo(200);
    }
}
