package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up notice for a {@code return} that answers before the JWT check (docs/jwt.md#jwt_phase): one per
 * protected location whose requests a {@code return} outside an {@code if} answers in the rewrite phase, at the
 * location; none where the check does run first.
 */
class ReturnBeforeCheckTest {

    static final String NOTICE = "\"return\" answers before the JWT check of this location: requests here are not "
            + "authenticated in ";

    @TempDir
    Path dir;

    /** The server block's body starts on line 5 of nginx.conf. */
    static String conf(int port, String server) {
        return "events { }\nhttp {\n  server {\n    listen 127.0.0.1:" + port + ";\n" + server + "\n  }\n}\n";
    }

    TestGateway start(String server) throws Exception {
        return TestGateway.start(dir, conf(TestGateway.freePort(), server), Fixtures.modules(new Fixtures.TestClock()));
    }

    /** The start-up notices of a server with this body. */
    List<String> notices(String server) throws Exception {
        try (TestGateway gw = start(server)) {
            return gw.config().notices();
        }
    }

    String at(int line) {
        return NOTICE + dir.resolve("nginx.conf") + ":" + line;
    }

    @Test
    void aReturnInAProtectedLocationAnswersWithoutATokenAndDrawsANotice() throws Exception {
        try (TestGateway gw = start("""
                location /x { jwt_secret "%s"; return 204; }
                location /y { jwt_secret "%s"; echo "checked"; }""".formatted(SECRET, SECRET))) {
            assertThat(gw.config().notices()).containsExactly(at(5));
            assertThat(gw.config().warnings()).isEmpty();
            // what the notice says: no token, and the return answers anyway; the location without it checks
            assertThat(RawHttpClient.get(gw.port(), "/x").code()).isEqualTo(204);
            assertThat(RawHttpClient.get(gw.port(), "/y").code()).isEqualTo(401);
        }
    }

    @Test
    void aServerWideCheckAndAHealthLocation() throws Exception {
        assertThat(notices("""
                jwt_secret "%s";
                location = /health { return 200; }
                location /api { echo ""; }""".formatted(SECRET))).containsExactly(at(6));
    }

    @Test
    void theInsecureAuthRequestFormInEitherPhase() throws Exception {
        assertThat(notices("""
                location = /_jwks { internal; return 200 '{"keys":[]}'; }
                location = /_auth { internal; jwt_key_request /_jwks; return 204; }
                location = /_auth_pre { internal; jwt_key_request /_jwks; jwt_phase preaccess; return 204; }"""))
                .containsExactly(at(6), at(7));
    }

    @Test
    void aServerLevelReturnAnswersBeforeEveryLocationIsChosen() throws Exception {
        assertThat(notices("""
                jwt_secret "%s";
                if ($arg_a) { set $b 1; }
                return 403;
                location /a { echo ""; }
                location /b { jwt_secret off; echo ""; }""".formatted(SECRET))).containsExactly(at(8));
    }

    @Test
    void oneNoticePerLocationWhateverItsIfBlocks() throws Exception {
        assertThat(notices("""
                jwt_secret "%s";
                location /x {
                    if ($arg_a) { set $b 1; }
                    return 204;
                }""".formatted(SECRET))).containsExactly(at(6));
    }

    @Test
    void noNoticeWhereTheCheckRunsOrNoneApplies() throws Exception {
        try (TestGateway gw = start("""
                jwt_secret "%s";
                location /if { if ($arg_a) { return 204; } echo ""; }
                location /off { jwt_secret off; return 200; }
                location /plain { echo ""; }
                location = /_auth {
                    internal;
                    jwt_phase preaccess;
                    error_page 404 = @jwt_valid;
                }
                location @jwt_valid { jwt_secret off; return 204; }""".formatted(SECRET))) {
            assertThat(gw.config().messages()).isEmpty();
        }
    }
}
