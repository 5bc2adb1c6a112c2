package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.assertNoToken;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.module.HttpModule;
import io.jwtgate.map.MapModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the backend receives: claim variables, {@code $jwt_claims} and a {@code map} on a claim in forwarded headers,
 * with inheritance from the server level and {@code jwt_secret off} below it; tokens signed by Nimbus.
 */
class ForwardedClaimsTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static TestBackend backend;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start();
        String http = """
                upstream backend { server %s; }
                map $jwt_claim_role $tier {
                    admin gold;
                    default bronze;
                }
                """.formatted(backend.hostPort());
        String server = """
                jwt_secret "%s";
                jwt_claim $user_id sub;
                jwt_claim $city address.city;
                proxy_set_header X-User-Id $user_id;
                proxy_set_header X-City $city;
                proxy_set_header X-Tier $tier;
                proxy_set_header X-Claims $jwt_claims;
                location /api { proxy_pass http://backend; }
                location /public {
                    jwt_secret off;
                    proxy_pass http://backend;
                }
                """.formatted(Fixtures.SECRET);
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), http, server), () -> {
            List<HttpModule> l = new ArrayList<>(Fixtures.modules(clock).get());
            l.add(l.size() - 1, new MapModule());
            l.addAll(l.size() - 1, ProxyModules.create());
            return l;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    @Test
    void claimsReachTheBackendAsHeaders() {
        String payload = claims("alice", "\"role\":\"admin\",\"address\":{\"city\":\"Lyon\"}");
        assertThat(RawHttpClient.get(gw.port(), "/api/x", bearer(Fixtures.hs256(Fixtures.SECRET, payload))).code())
                .isEqualTo(200);
        RecordedRequest r = backend.lastRequest();
        assertThat(r.header("X-User-Id")).isEqualTo("alice");
        assertThat(r.header("X-City")).isEqualTo("Lyon");
        assertThat(r.header("X-Tier")).isEqualTo("gold");
        assertThat(r.header("X-Claims")).isEqualTo(payload);
    }

    @Test
    void nonAsciiClaimsReachTheBackendAsTheirUtf8() {
        String payload = claims("jos\u00e9", "\"address\":{\"city\":\"Z\u00fcrich \u5317\u4eac \ud83d\ude00\"}");
        assertThat(RawHttpClient.get(gw.port(), "/api/x", bearer(Fixtures.hs256(Fixtures.SECRET, payload))).code())
                .isEqualTo(200);
        RecordedRequest r = backend.lastRequest();
        // the backend's decoder gives one char per byte: the bytes must be the claims' UTF-8, as nginx sends them
        assertThat(r.header("X-User-Id")).isEqualTo(bytes("jos\u00e9"));
        assertThat(r.header("X-City")).isEqualTo(bytes("Z\u00fcrich \u5317\u4eac \ud83d\ude00"));
        assertThat(r.header("X-Claims")).isEqualTo(bytes(payload));
    }

    private static String bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void mapDefaultAndMissingClaims() {
        assertThat(RawHttpClient.get(gw.port(), "/api/x", bearer(Fixtures.hs256(Fixtures.SECRET,
                claims("bob", "")))).code()).isEqualTo(200);
        RecordedRequest r = backend.lastRequest();
        assertThat(r.header("X-User-Id")).isEqualTo("bob");
        assertThat(r.header("X-Tier")).isEqualTo("bronze");
        assertThat(r.headers("X-City")).isEmpty();
    }

    @Test
    void serverLevelValidationIsInheritedAndOffBelowIt() {
        int before = backend.requestCount();
        assertNoToken(RawHttpClient.get(gw.port(), "/api/x"));
        assertThat(backend.requestCount()).isEqualTo(before);
        assertThat(RawHttpClient.get(gw.port(), "/public/x").code()).isEqualTo(200);
        RecordedRequest r = backend.lastRequest();
        assertThat(r.uri()).isEqualTo("/public/x");
        assertThat(r.headers("X-User-Id")).isEmpty();
        assertThat(r.headers("X-Claims")).isEmpty();
    }
}
