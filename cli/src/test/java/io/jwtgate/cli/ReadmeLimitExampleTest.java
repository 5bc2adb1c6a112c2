package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import org.junit.jupiter.api.Test;

/**
 * The README's per-user rate limit, run with the gateway's own module list ({@link Modules#create()}), so that the
 * order of the JWT check and the limit is the one users get: one user over the limit gets 429 while another is
 * served, a request without a valid token gets 401. The rate becomes {@code 1r/m} (burst 2) so that every outcome is
 * certain whatever the machine's speed.
 */
class ReadmeLimitExampleTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void perUserLimitOfTheReadme() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```nginx\nlimit_req_zone");
        assertThat(start).as("the README's per-user limit").isNotNegative();
        String snippet = readme.substring(readme.indexOf('\n', start) + 1, readme.indexOf("```", start + 8));
        String zone = snippet.substring(0, snippet.indexOf('\n'));
        String location = snippet.substring(snippet.indexOf("location"));
        assertThat(location).contains("jwt_phase preaccess;", "jwt_key_request /jwks;", "proxy_pass http://backend;");
        try (TestBackend backend = TestBackend.start()) {
            String conf = "events { worker_connections 64; }\nhttp {\n"
                    + zone.replace("rate=10r/s", "rate=1r/m") + "\n"
                    + "upstream backend { server " + backend.hostPort() + "; }\n"
                    + "server {\nlisten 127.0.0.1:" + TestGateway.freePort() + ";\n"
                    + location.replace("jwt_key_request /jwks;", "jwt_secret \"" + SECRET + "\";")
                            .replace("burst=20", "burst=2")
                    + "}\n}\n";
            TestGateway gw = TestGateway.start(conf, Modules::create);
            try {
                for (int i = 0; i < 3; i++) {
                    assertThat(get(gw, "alice")).as("alice's request %d, within rate and burst", i).isEqualTo(200);
                }
                assertThat(get(gw, "alice")).as("alice over the limit").isEqualTo(429);
                assertThat(get(gw, "bob")).as("bob, another user").isEqualTo(200);
                assertThat(RawHttpClient.get(gw.port(), "/api").code()).as("no token").isEqualTo(401);
                assertThat(backend.requestCount()).isEqualTo(4);
            } finally {
                gw.close();
            }
        }
    }

    private static int get(TestGateway gw, String user) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(user)
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        jwt.sign(new MACSigner(SECRET));
        return RawHttpClient.get(gw.port(), "/api", "Authorization: Bearer " + jwt.serialize()).code();
    }
}
