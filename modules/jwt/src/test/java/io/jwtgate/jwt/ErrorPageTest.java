package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static io.jwtgate.jwt.Fixtures.hs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwtgate.access.AccessModule;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JWT rejections routed through {@code error_page} (docs/jwt.md#customising-rejections). nginx has no JWT module: its
 * side of the comparison rejects with {@code auth_request} whose 401 carries {@code WWW-Authenticate: Bearer}, the
 * challenge jwtgate sends for a request without a token, so the whole answers must be the same bytes, challenge
 * kept as nginx keeps it.
 */
class ErrorPageTest {

    /** The error pages, the same on both sides; {@code %s} is where each side rejects. */
    static final String LOCATIONS = """
            location /url { %1$s error_page 401 http://login.example/?r=1; }
            location /url301 { %1$s error_page 401 =301 http://login.example/; }
            location /url-var { %1$s error_page 401 https://login.example/?back=$uri; }
            location /forbidden-url { %2$s error_page 403 http://e.example/forbidden; }
            location /unrelated { %1$s error_page 403 http://e.example/forbidden; }
            location /named { %1$s error_page 401 = @login; add_header X-Replaced yes always; }
            location /named-keep { %1$s error_page 401 @login; }
            location /page { %1$s error_page 401 /login-page; }
            location /page-200 { %1$s error_page 401 =200 /login-page?from=page; }
            location /json { %1$s error_page 401 @json401; }
            location /forbidden-json { %2$s error_page 403 @json403; }
            location /any { satisfy any; deny all; %1$s error_page 401 403 = @login; }
            location @login { return 200 "login $request_method $uri\n"; }
            location = /login-page { return 200 "login page $request_method $uri $args\n"; }
            location @json401 { return 401 '{"error":"unauthorized"}'; }
            location @json403 { return 403 '{"error":"forbidden"}'; }
            """;

    static final String[][] REQUESTS = {
        {"GET /url HTTP/1.1", "Host: a"},
        {"GET /url301 HTTP/1.1", "Host: a"},
        {"GET /url-var/x HTTP/1.1", "Host: a"},
        {"GET /forbidden-url HTTP/1.1", "Host: a", bearer(hs256(SECRET, claims("a", "")))},
        {"HEAD /url HTTP/1.1", "Host: a"},
        {"GET /named HTTP/1.1", "Host: a"},
        {"GET /named-keep HTTP/1.1", "Host: a"},
        {"POST /named HTTP/1.1", "Host: a", "Content-Length: 0"},
        {"GET /page HTTP/1.1", "Host: a"},
        {"POST /page HTTP/1.1", "Host: a", "Content-Length: 0"},
        {"HEAD /page HTTP/1.1", "Host: a"},
        {"GET /page-200 HTTP/1.1", "Host: a"},
        {"GET /json HTTP/1.1", "Host: a"},
        {"GET /any HTTP/1.1", "Host: a"},
        {"GET /forbidden-json HTTP/1.1", "Host: a", bearer(hs256(SECRET, claims("a", "")))},
    };

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static StockNginx nginx;
    static int nginxPort;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        String jwt = "jwt_secret \"" + SECRET + "\";";
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), "", LOCATIONS.formatted(jwt,
                jwt + " jwt_require $jwt_claim_admin error=403;")), () -> {
                    List<HttpModule> all = new ArrayList<>(Fixtures.modules(clock).get());
                    all.add(new AccessModule());
                    return all;
                });
        assumeTrue(StockNginx.available(), "stock nginx is installed by .ci/run; this machine lacks it");
        nginxPort = TestGateway.freePort();
        nginx = StockNginx.start("server {\nlisten 127.0.0.1:" + nginxPort + ";\n"
                + "location = /auth401 { internal; proxy_pass http://127.0.0.1:" + nginxPort + "/challenge; }\n"
                + "location = /challenge { add_header WWW-Authenticate Bearer always; return 401; }\n"
                + "location = /auth403 { internal; return 403; }\n"
                + LOCATIONS.formatted("auth_request /auth401;", "auth_request /auth403;") + "}\n", nginxPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void sameAnswersAsNginxWithAuthRequest() {
        List<String> diffs = new ArrayList<>();
        for (String[] r : REQUESTS) {
            String expected = answer(nginxPort, r);
            String actual = answer(gw.port(), r);
            if (!expected.equals(actual)) {
                diffs.add(String.join(" | ", r) + "\n   nginx:\n" + expected + "\n   jwtgate:\n" + actual);
            }
        }
        assertThat(diffs).as("answers that differ").isEmpty();
    }

    @Test
    void anInvalidTokenKeepsItsChallengeOnTheRedirect() {
        RawResponse r = RawHttpClient.get(gw.port(), "/url", bearer("x.y.z"));
        assertThat(r.code()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("http://login.example/?r=1");
        assertThat(r.headers("WWW-Authenticate")).containsExactly(
                "Bearer error=\"invalid_token\", error_description=\"malformed token\"");
        assertThat(r.header("Content-Type")).isEqualTo("text/html");
    }

    @Test
    void aCustomJsonBodyKeepsTheChallengeOfTheRejection() {
        RawResponse r = RawHttpClient.get(gw.port(), "/json", bearer(hs256(SECRET,
                "{\"sub\":\"a\",\"exp\":" + (Fixtures.NOW - 1) + "}")));
        assertThat(r.code()).isEqualTo(401);
        assertThat(r.headers("WWW-Authenticate")).containsExactly(
                "Bearer error=\"invalid_token\", error_description=\"token expired\"");
        assertThat(r.bodyString()).isEqualTo("{\"error\":\"unauthorized\"}");
    }

    @Test
    void anErrorPageForAnotherStatusLeavesTheRejectionAsItIs() {
        Fixtures.assertNoToken(RawHttpClient.get(gw.port(), "/unrelated"));
    }

    @Test
    void aFailedRequirementWithItsOwnStatusGoesToItsErrorPage() {
        RawResponse denied = RawHttpClient.get(gw.port(), "/forbidden-url", bearer(hs256(SECRET, claims("a", ""))));
        assertThat(denied.code()).isEqualTo(302);
        assertThat(denied.header("Location")).isEqualTo("http://e.example/forbidden");
        assertThat(denied.headers("WWW-Authenticate")).isEmpty();
        RawResponse admitted = RawHttpClient.get(gw.port(), "/forbidden-url",
                bearer(hs256(SECRET, claims("a", "\"admin\":\"yes\""))));
        assertThat(admitted.code()).as("no content handler: nginx's 404").isEqualTo(404);
    }

    /** One request on a fresh connection: the whole answer, masked as the differential tests do. */
    private static String answer(int port, String[] request) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            boolean head = request[0].startsWith("HEAD");
            RawResponse r = c.send(String.join("\r\n", request) + "\r\n\r\n").readResponse(head);
            String masked = SideBySide.masked(r);
            String server = r.header("Server");
            if (head && server.startsWith("nginx/") && "text/html".equals(r.header("Content-Type"))) {
                masked = masked.replace("Content-Length: " + r.header("Content-Length"), "Content-Length: "
                        + (Long.parseLong(r.header("Content-Length")) - server.length()
                                + SideBySide.jwtgateServer(server).length()));
            }
            return masked.replace(":" + port + "/", ":PORT/");
        }
    }
}
