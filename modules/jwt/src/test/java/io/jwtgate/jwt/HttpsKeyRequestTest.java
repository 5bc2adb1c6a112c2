package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.assertInvalid;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys fetched over real HTTPS from an identity provider whose certificate the gateway verifies (the JDK's HTTPS
 * server, certificates made by openssl at test time), through an internal location and {@code jwt_key_request}.
 */
class HttpsKeyRequestTest {

    @TempDir
    static Path dir;

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static final KeyPair KEY = Fixtures.rsa(2048);
    static HttpsJwksServer idp;
    static TestBackend backend;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        idp = HttpsJwksServer.start(dir, KeyRequestTest.jwks(KeyRequestTest.jwk(KEY, "k1")));
        backend = TestBackend.start();
        String http = "upstream backend { server " + backend.hostPort() + "; }\n"
                // the example of docs/jwt.md#jwt_key_request, with the cache under the test's directory
                + "proxy_cache_path " + dir.resolve("jwt_cache")
                + " levels=1:2 keys_zone=jwt_keys:1m inactive=5m max_size=10m;";
        String server = """
                location /jwks-cached {
                    proxy_pass https://localhost:%1$d%2$s;
                    proxy_ssl_trusted_certificate %3$s;
                    proxy_cache jwt_keys;
                    proxy_cache_valid 200 5m;
                    proxy_cache_use_stale error timeout updating;
                    internal;
                }
                location /seed {
                    jwt_key_request /jwks-cached;
                    proxy_pass http://backend;
                }
                location /jwks {
                    internal;
                    proxy_pass https://localhost:%1$d%2$s;
                    proxy_ssl_trusted_certificate %3$s;
                }
                location /untrusted {
                    internal;
                    proxy_pass https://localhost:%1$d%2$s;
                }
                location /api {
                    jwt_key_request /jwks;
                    jwt_claim $user_id sub;
                    proxy_set_header X-User-Id $user_id;
                    proxy_pass http://backend;
                }
                location /forged-idp {
                    jwt_key_request /untrusted;
                    proxy_pass http://backend;
                }
                """.formatted(idp.port(), HttpsJwksServer.PATH, dir.resolve("ca.pem"));
        gw = TestGateway.start(dir, Fixtures.conf(TestGateway.freePort(), http, server), () -> {
            List<HttpModule> l = new ArrayList<>(Fixtures.modules(clock).get());
            l.addAll(l.size() - 1, ProxyModules.create());
            return l;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
        idp.close();
    }

    @Test
    void tokenVerifiedWithKeysFromTheHttpsProvider() {
        int before = idp.requests();
        var r = RawHttpClient.get(gw.port(), "/api/x", bearer(Fixtures.rs(JWSAlgorithm.RS256, KEY, "k1",
                claims("alice", ""))));
        assertThat(r.code()).isEqualTo(200);
        assertThat(backend.lastRequest().header("X-User-Id")).isEqualTo("alice");
        assertThat(idp.requests()).isEqualTo(before + 1);
    }

    @Test
    void theSeedsSecondExampleAsksTheProviderOncePerCachePeriod() {
        String token = Fixtures.rs(JWSAlgorithm.RS256, KEY, "k1", claims("bob", ""));
        int before = idp.requests();
        for (int i = 0; i < 5; i++) {
            assertThat(RawHttpClient.get(gw.port(), "/seed/x", bearer(token)).code()).isEqualTo(200);
        }
        assertThat(idp.requests()).isEqualTo(before + 1);
        assertInvalid(RawHttpClient.get(gw.port(), "/seed/x", bearer(Fixtures.rs(JWSAlgorithm.RS256,
                Fixtures.rsa(2048), "k1", claims("eve", "")))), "signature verification failed");
        assertThat(idp.requests()).isEqualTo(before + 1);
    }

    @Test
    void aProviderWhoseCertificateIsNotTrustedIsUnavailable() {
        int before = backend.requestCount();
        Fixtures.assertUnavailable(RawHttpClient.get(gw.port(), "/forged-idp", bearer(Fixtures.rs(JWSAlgorithm.RS256,
                KEY, "k1", claims("alice", "")))));
        assertThat(backend.requestCount()).isEqualTo(before);
    }
}
