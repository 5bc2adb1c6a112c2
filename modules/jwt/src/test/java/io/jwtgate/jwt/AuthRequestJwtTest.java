package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import io.jwtgate.access.AccessModule;
import io.jwtgate.authrequest.AuthRequestModule;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two ways of combining {@code auth_request} with the JWT check (docs/auth_request.md#with-jwt), end to end with
 * tokens signed by Nimbus: (a) the location checks the JWT and then asks an entitlement service, which gets the
 * claims as headers; (b) an internal auth location checks the JWT itself for many locations and hands the subject
 * over with {@code auth_request_set}. Also the insecure form of (b), which checks nothing.
 */
class AuthRequestJwtTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static final KeyPair KEY = Fixtures.rsa(2048);
    static TestBackend entitlement;
    static TestBackend content;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        // the entitlement service: alice may, anybody else may not; it insists on the claims arriving as headers
        entitlement = TestBackend.start(r -> {
            if (r.header("X-User") == null || r.header("X-Roles") == null) {
                return Reply.status(500, "claims missing");
            }
            return "alice".equals(r.header("X-User")) ? Reply.status(200, "") : Reply.status(403, "");
        });
        content = TestBackend.start();
        String jwks = "{\"keys\":[" + KeyRequestTest.jwk(KEY, "k1") + "]}";
        String server = """
                # (a) check the JWT here, then ask the entitlement service with the claims as headers
                location /reports {
                    jwt_key_request /_jwks;
                    auth_request /_entitlement;
                    proxy_pass http://127.0.0.1:%1$d;
                }
                location = /_entitlement {
                    internal;
                    proxy_pass http://127.0.0.1:%2$d/check;
                    proxy_pass_request_body off;
                    proxy_set_header Content-Length "";
                    proxy_set_header X-User $jwt_claim_sub;
                    proxy_set_header X-Roles $jwt_claim_roles;
                }

                # (b) one internal location checks the JWT for many
                location /orders {
                    auth_request /_auth;
                    auth_request_set $user $jwt_claim_sub;
                    proxy_set_header X-User $user;
                    proxy_pass http://127.0.0.1:%1$d;
                }
                location /invoices {
                    auth_request /_auth;
                    auth_request_set $user $jwt_claim_sub;
                    proxy_set_header X-User $user;
                    proxy_pass http://127.0.0.1:%1$d;
                }
                location = /_auth {
                    internal;
                    jwt_key_request /_jwks;
                    jwt_phase preaccess;
                    error_page 404 = @jwt_valid;
                }
                location @jwt_valid { return 204; }

                # satisfy any: a valid token, or the service's yes for the API user it is told about
                location /either {
                    satisfy any;
                    jwt_key_request /_jwks;
                    auth_request /_either;
                    proxy_pass http://127.0.0.1:%1$d;
                }
                location = /_either {
                    internal;
                    proxy_pass http://127.0.0.1:%2$d/check;
                    proxy_set_header X-User $http_x_api_user;
                    proxy_set_header X-Roles api;
                }

                # the insecure form: return answers in the rewrite phase, before any check
                location /weak { auth_request /_weak; proxy_pass http://127.0.0.1:%1$d; }
                location = /_weak { internal; jwt_key_request /_jwks; return 204; }

                location = /_jwks { internal; return 200 '%3$s'; }
                """.formatted(content.port(), entitlement.port(), jwks);
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), "", server), () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new AccessModule());
            l.addAll(ProxyModules.create());
            l.add(new JwtModule(clock, CryptoProvider.preferred()));
            l.add(new AuthRequestModule());
            return l;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
        entitlement.close();
        content.close();
    }

    static String token(String sub) {
        return Fixtures.rs(JWSAlgorithm.RS256, KEY, "k1", claims(sub, "\"roles\":\"reader\""));
    }

    @Test
    void entitlementServiceGetsValidatedClaims() {
        String alice = token("alice");
        RawResponse r = RawHttpClient.get(gw.port(), "/reports/1", bearer(alice));
        assertThat(r.code()).as(r.toString()).isEqualTo(200);
        RecordedRequest asked = entitlement.lastRequest();
        assertThat(asked.method() + " " + asked.uri()).isEqualTo("GET /check");
        assertThat(asked.header("X-User")).isEqualTo("alice");
        assertThat(asked.header("X-Roles")).isEqualTo("reader");
        assertThat(asked.header("Authorization")).isEqualTo("Bearer " + alice);
        assertThat(content.lastRequest().uri()).isEqualTo("/reports/1");

        int contentBefore = content.requestCount();
        assertThat(RawHttpClient.get(gw.port(), "/reports/1", bearer(token("bob"))).code()).isEqualTo(403);
        assertThat(entitlement.lastRequest().header("X-User")).isEqualTo("bob");
        assertThat(content.requestCount()).isEqualTo(contentBefore);
    }

    @Test
    void theServiceIsNotAskedWithoutAValidToken() {
        int before = entitlement.requestCount();
        Fixtures.assertNoToken(RawHttpClient.get(gw.port(), "/reports/1"));
        String forged = Fixtures.rs(JWSAlgorithm.RS256, Fixtures.rsa(2048), "k1", claims("alice", ""));
        Fixtures.assertInvalid(RawHttpClient.get(gw.port(), "/reports/1", bearer(forged)),
                "signature verification failed");
        assertThat(entitlement.requestCount()).isEqualTo(before);
    }

    @Test
    void internalAuthLocationChecksAndHandsTheSubjectOver() {
        for (String path : new String[] {"/orders/7", "/invoices/9"}) {
            RawResponse r = RawHttpClient.get(gw.port(), path, bearer(token("carol")));
            assertThat(r.code()).as(r.toString()).isEqualTo(200);
            assertThat(content.lastRequest().uri()).isEqualTo(path);
            // read in the subrequest after its error_page step to @jwt_valid: the check's result went along
            assertThat(content.lastRequest().header("X-User")).isEqualTo("carol");
        }
    }

    @Test
    void internalAuthLocationRejectsWithTheChallenge() {
        int before = content.requestCount();
        RawResponse none = RawHttpClient.get(gw.port(), "/orders/7");
        assertThat(none.code()).isEqualTo(401);
        assertThat(none.headers("WWW-Authenticate")).containsExactly("Bearer");
        String forged = Fixtures.rs(JWSAlgorithm.RS256, Fixtures.rsa(2048), "k1", claims("carol", ""));
        RawResponse bad = RawHttpClient.get(gw.port(), "/invoices/9", bearer(forged));
        assertThat(bad.code()).isEqualTo(401);
        assertThat(bad.headers("WWW-Authenticate")).containsExactly(
                "Bearer error=\"invalid_token\", error_description=\"signature verification failed\"");
        assertThat(content.requestCount()).isEqualTo(before);
    }

    @Test
    void returnInTheAuthLocationChecksNothing() {
        // the warning of docs/auth_request.md, shown: no token, and still let through
        assertThat(RawHttpClient.get(gw.port(), "/weak/1").code()).isEqualTo(200);
    }

    /**
     * {@code satisfy any} with the JWT check and {@code auth_request} (docs/auth_request.md): a valid token is enough
     * and the service is not asked; without one, the service's yes is enough; when both say no, the JWT's 401 and
     * challenge win over the service's 403, as nginx keeps a 401 over a 403.
     */
    @Test
    void satisfyAnyTakesAValidTokenOrTheServicesYes() {
        int asked = entitlement.requestCount();
        RawResponse token = RawHttpClient.get(gw.port(), "/either/1", bearer(token("dave")));
        assertThat(token.code()).as(token.toString()).isEqualTo(200);
        assertThat(entitlement.requestCount()).as("the service is not asked").isEqualTo(asked);

        RawResponse yes = RawHttpClient.get(gw.port(), "/either/2", "X-Api-User: alice");
        assertThat(yes.code()).as(yes.toString()).isEqualTo(200);
        assertThat(entitlement.lastRequest().header("X-User")).isEqualTo("alice");
        String forged = Fixtures.rs(JWSAlgorithm.RS256, Fixtures.rsa(2048), "k1", claims("dave", ""));
        assertThat(RawHttpClient.get(gw.port(), "/either/3", bearer(forged), "X-Api-User: alice").code())
                .isEqualTo(200);

        int before = content.requestCount();
        Fixtures.assertNoToken(RawHttpClient.get(gw.port(), "/either/4", "X-Api-User: bob"));
        assertThat(entitlement.lastRequest().header("X-User")).as("the service was asked and said no")
                .isEqualTo("bob");
        assertThat(content.requestCount()).isEqualTo(before);
    }
}
