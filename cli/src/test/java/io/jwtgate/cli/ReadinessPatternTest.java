package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The liveness and readiness endpoints of docs/operations.md#readiness-and-liveness, exactly as documented there:
 * liveness answers 200 whatever the identity provider does; readiness answers what the provider answers (here 503)
 * until the key set could be fetched, then 200, and stays ready from the cache while the provider is down; the first
 * probe that succeeds has filled the cache, so the first client request needs no fetch of its own.
 */
class ReadinessPatternTest {

    @TempDir
    Path dir;

    @Test
    void readinessFollowsTheKeySetAndLivenessDoesNot() throws Exception {
        String doc = Files.readString(Path.of("../docs/operations.md"));
        int start = doc.indexOf("```nginx\n", doc.indexOf("### Readiness and liveness"));
        assertThat(start).as("the documented pattern").isPositive();
        String pattern = doc.substring(start + 9, doc.indexOf("```", start + 9));

        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        String jwks = new JWKSet(key.toPublicJWK()).toString();
        AtomicBoolean providerUp = new AtomicBoolean();
        AtomicInteger keyFetches = new AtomicInteger();
        try (TestBackend backend = TestBackend.start(r -> {
            if (r.uri().startsWith("/jwks")) {
                keyFetches.incrementAndGet();
                return providerUp.get() ? Reply.status(200, jwks) : Reply.status(503, "down");
            }
            return Reply.status(200, "ok");
        })) {
            String conf = "events { worker_connections 64; }\nhttp {\n"
                    + pattern.replace("/var/cache/jwtgate/jwks", dir.resolve("jwks").toString())
                            .replace("https://auth.example.com/.well-known/jwks.json",
                                    "http://" + backend.hostPort() + "/jwks")
                            .replace("http://backend", "http://" + backend.hostPort())
                            .replace("listen 80;", "listen 127.0.0.1:" + TestGateway.freePort() + ";")
                    + "}\n";
            try (TestGateway gw = TestGateway.start(dir, conf, Modules::create)) {
                int port = gw.port();
                assertThat(get(port, "/healthz").code()).as("alive while the provider is down").isEqualTo(200);
                RawResponse notReady = get(port, "/readyz");
                assertThat(notReady.code()).as("not ready without keys").isEqualTo(503);

                providerUp.set(true);
                assertThat(get(port, "/readyz").code()).as("ready once the keys are fetched").isEqualTo(200);
                int fetches = keyFetches.get();

                providerUp.set(false);
                assertThat(get(port, "/readyz").code()).as("ready from the cache").isEqualTo(200);
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                        new JWTClaimsSet.Builder().subject("alice")
                                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
                jwt.sign(new RSASSASigner(key));
                assertThat(get(port, "/api/x", "Authorization: Bearer " + jwt.serialize()).code())
                        .as("a client request, keys from the cache the probe filled").isEqualTo(200);
                assertThat(keyFetches.get()).as("no fetch after the successful probe").isEqualTo(fetches);
                assertThat(get(port, "/healthz").code()).isEqualTo(200);
            }
        }
    }

    private static RawResponse get(int port, String path, String... headers) {
        return RawHttpClient.get(port, path, headers);
    }
}
