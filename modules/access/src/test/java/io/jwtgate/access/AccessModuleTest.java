package io.jwtgate.access;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.EchoModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** allow/deny over real sockets from 127.0.0.1, alone and combined with another access module by satisfy. */
class AccessModuleTest {

    static final Supplier<List<HttpModule>> MODULES = () -> {
        List<HttpModule> m = new ArrayList<>(CoreModules.create());
        m.add(new EchoModule());
        m.add(new AccessModule());
        m.add(new TestAuthModule());
        return m;
    };

    static TestGateway gw;
    static int port1;
    static int port2;

    @BeforeAll
    static void start() throws Exception {
        port1 = TestGateway.freePort();
        port2 = TestGateway.freePort();
        gw = TestGateway.start("""
                events { worker_connections 64; }
                http {
                    deny 10.0.0.0/8;
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        location /inherit { echo "inherit"; }
                        location /first-deny { deny 127.0.0.1; allow all; echo "x"; }
                        location /first-allow { allow 127.0.0.1; deny all; echo "allowed"; }
                        location /cidr-deny { deny 127.0.0.0/8; echo "x"; }
                        location /cidr-other { deny 127.0.1.0/24; echo "other net"; }
                        location /all { deny all; echo "x"; }
                        location /v6-only { deny ::/0; deny ::1; echo "v6 rules only"; }
                        location /v4-mapped { deny ::ffff:127.0.0.1; echo "mapped rule"; }
                        location /nested {
                            deny all;
                            location /nested/replaced { allow 127.0.0.1; echo "replaced"; }
                            location /nested/inherited { echo "x"; }
                        }
                        location /all-both { satisfy all; allow 127.0.0.1; test_auth; echo "ok"; }
                        location /all-denied { satisfy all; deny 127.0.0.1; test_auth; echo "x"; }
                        location /any-allowed { satisfy any; allow 127.0.0.1; deny all; test_auth; echo "ok"; }
                        location /any-denied { satisfy any; deny all; test_auth; echo "ok"; }
                        location /any-nomatch { satisfy any; allow 10.1.1.1; test_auth; echo "ok"; }
                    }
                    server {
                        listen 127.0.0.1:%d;
                        server_name denied;
                        deny 127.0.0.1;
                        location / { echo "x"; }
                        location /open { allow all; echo "open"; }
                    }
                }
                """.formatted(port1, port2), MODULES);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @ParameterizedTest
    @CsvSource({
        "/inherit, 200",
        "/first-deny, 403",
        "/first-allow, 200",
        "/cidr-deny, 403",
        "/cidr-other, 200",
        "/all, 403",
        "/v6-only, 200",
        "/v4-mapped, 200",
        "/nested/replaced, 200",
        "/nested/inherited, 403",
        "/nested, 403",
    })
    void rules(String path, int status) {
        assertThat(RawHttpClient.get(port1, path).code()).isEqualTo(status);
    }

    @Test
    void serverLevelRulesAreReplacedByLocationRules() {
        assertThat(RawHttpClient.get(port2, "/").code()).isEqualTo(403);
        assertThat(RawHttpClient.get(port2, "/open").bodyString()).isEqualTo("open");
    }

    @ParameterizedTest
    @CsvSource({
        // location, X-Test-Auth, status
        "/all-both, ok, 200",
        "/all-both, no, 401",
        "/all-denied, ok, 403",
        "/all-denied, no, 403",
        "/any-allowed, no, 200",
        "/any-allowed, ok, 200",
        "/any-denied, ok, 200",
        "/any-denied, no, 401",
        "/any-nomatch, no, 401",
        "/any-nomatch, ok, 200",
    })
    void satisfy(String path, String auth, int status) {
        RawResponse r = RawHttpClient.get(port1, path, "X-Test-Auth: " + auth);
        assertThat(r.code()).isEqualTo(status);
        if (status == 401) {
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Test realm=\"jwtgate\"");
            assertThat(r.bodyString()).isEqualTo("test auth required\n");
        }
        if (status == 403) {
            assertThat(r.header("WWW-Authenticate")).isNull();
        }
    }

    @Test
    void denialIsLoggedAsNginxUnderSatisfyAllOnly() {
        Logger logger = (Logger) LoggerFactory.getLogger("jwtgate.http");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            RawHttpClient.get(port1, "/all");
            RawHttpClient.get(port1, "/any-denied");
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.startsWith("access forbidden"))
                .containsExactly("access forbidden by rule, client: 127.0.0.1, server: localhost, "
                        + "request: \"GET /all HTTP/1.1\", host: \"localhost\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "allow 10.0.0;         | invalid parameter \"10.0.0\" in %s:3",
        "deny localhost;       | invalid parameter \"localhost\" in %s:3",
        "allow 10.0.0.0/33;    | invalid parameter \"10.0.0.0/33\" in %s:3",
        "deny ::1/129;         | invalid parameter \"::1/129\" in %s:3",
        "allow;                | invalid number of arguments in \"allow\" directive in %s:3",
        "deny 1.2.3.4 5.6.7.8; | invalid number of arguments in \"deny\" directive in %s:3",
    })
    void configErrors(String directive, String message) throws Exception {
        Path dir = Files.createTempDirectory("access-conf");
        ConfException e = TestGateway.configError(dir, "events { }\nhttp {\n" + directive + "\n}\n", MODULES);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(message.formatted(dir.resolve("nginx.conf")));
    }

    @Test
    void hostBitsWarnAndKeepTheNetwork() throws Exception {
        int port = TestGateway.freePort();
        try (TestGateway g = TestGateway.start("""
                events { }
                http {
                    server {
                        listen 127.0.0.1:%d;
                        deny 127.0.0.9/8;
                        location / { echo "x"; }
                    }
                }
                """.formatted(port), MODULES)) {
            assertThat(RawHttpClient.get(g.port(), "/").code()).isEqualTo(403);
            assertThat(g.config().warnings()).containsExactly("low address bits of 127.0.0.9/8 are meaningless in "
                    + g.dir().resolve("nginx.conf") + ":5");
        }
    }
}
