package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.assertInvalid;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.map.MapModule;
import io.jwtgate.testing.EchoModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache: a repeated token is verified once, yet every per-request check still runs, and a key
 * change makes cached verdicts miss.
 */
class TokenCacheTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static final KeyPair A = Fixtures.rsa(2048);
    static final KeyPair B = Fixtures.rsa(2048);
    static JwtModule module;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        String http = """
                map $host $doc {
                    b.test '%s';
                    default '%s';
                }
                """.formatted(KeyRequestTest.jwks(KeyRequestTest.jwk(B, "k")), KeyRequestTest.jwks(
                KeyRequestTest.jwk(A, "k")));
        String server = """
                location /doc { internal; echo $doc; }
                location /static { jwt_secret "%s"; jwt_require_claim role eq $http_x_role; echo "ok"; }
                location /fetched { jwt_key_request /doc; echo "ok"; }
                """.formatted(Fixtures.SECRET);
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), http, server), () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new EchoModule());
            l.add(new MapModule());
            module = new JwtModule(clock, CryptoProvider.preferred());
            l.add(module);
            return l;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static TokenCache cache() {
        return gw.config().http().main(module.main).tokenCache;
    }

    @Test
    void perRequestChecksStillRunOnCachedTokens() {
        String t = Fixtures.hs256(Fixtures.SECRET, claims("alice", "\"role\":\"admin\""));
        long before = cache().size();
        // cached the second time it is seen (TokenCacheAdmissionTest)
        assertThat(RawHttpClient.get(gw.port(), "/static", bearer(t), "X-Role: admin").code()).isEqualTo(200);
        assertThat(cache().size()).isEqualTo(before);
        assertThat(RawHttpClient.get(gw.port(), "/static", bearer(t), "X-Role: admin").code()).isEqualTo(200);
        assertThat(cache().size()).isEqualTo(before + 1);
        // same token, the cached verdict: the rule still sees this request's value
        assertInvalid(RawHttpClient.get(gw.port(), "/static", bearer(t), "X-Role: user"),
                "claim requirement failed");
        assertThat(RawHttpClient.get(gw.port(), "/static", bearer(t), "X-Role: admin").code()).isEqualTo(200);
        assertThat(cache().size()).isEqualTo(before + 1);
    }

    @Test
    void cachedTokensStillExpire() {
        String t = Fixtures.hs256(Fixtures.SECRET, "{\"sub\":\"bob\",\"role\":\"admin\",\"exp\":" + (Fixtures.NOW + 60)
                + "}");
        assertThat(RawHttpClient.get(gw.port(), "/static", bearer(t), "X-Role: admin").code()).isEqualTo(200);
        clock.advanceSeconds(61);
        try {
            assertInvalid(RawHttpClient.get(gw.port(), "/static", bearer(t), "X-Role: admin"), "token expired");
        } finally {
            clock.advanceSeconds(-61);
        }
    }

    @Test
    void aKeyChangeMakesCachedVerdictsMiss() {
        String t = Fixtures.rs(JWSAlgorithm.RS256, A, "k", claims("carol", ""));
        assertThat(RawHttpClient.get(gw.port(), "/fetched", bearer(t)).code()).isEqualTo(200);
        assertThat(RawHttpClient.get(gw.port(), "/fetched", bearer(t)).code()).isEqualTo(200);
        // for host b.test the key document holds B only (the subrequest sees the parent's host): the token signed
        // with A must fail, cache or not
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET /fetched HTTP/1.1\r\nHost: b.test\r\n" + bearer(t) + "\r\nConnection: close\r\n\r\n");
            assertInvalid(c.readResponse(), "signature verification failed");
        }
        assertThat(RawHttpClient.get(gw.port(), "/fetched", bearer(t)).code()).isEqualTo(200);
    }

    @Test
    void forgedTokensAreRejectedEveryTime() {
        String t = Fixtures.hs256("another-secret-of-32-bytes-length!", claims("mallory", "\"role\":\"admin\""));
        for (int i = 0; i < 3; i++) {
            assertInvalid(RawHttpClient.get(gw.port(), "/static", bearer(t), "X-Role: admin"),
                    "signature verification failed");
        }
    }

    @Test
    void cacheCanBeTurnedOffAndBadSizesAreErrors() throws Exception {
        ConfException e = TestGateway.configError(Fixtures.conf(8080, "jwt_token_cache lots;", ""),
                Fixtures.modules(clock));
        assertThat(e.reason()).isEqualTo("\"jwt_token_cache\" directive invalid value");
        assertThat(TestGateway.configError(Fixtures.conf(8080, "jwt_token_cache off;", ""), Fixtures.modules(clock)))
                .isNull();
    }
}
