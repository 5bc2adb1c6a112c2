package io.jwtgate.authrequest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration mistakes stop start-up with nginx's words (taken from {@code nginx -t} 1.22). */
class AuthRequestConfigTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auth_request /a; auth_request /b; | \"auth_request\" directive is duplicate in %s:3",
        "auth_request /a /b;               | invalid number of arguments in \"auth_request\" directive in %s:3",
        "auth_request_set x y;             | invalid variable name \"x\" in %s:3",
        "auth_request_set $ y;             | invalid variable name \"$\" in %s:3",
        "auth_request_set $uri y;          | the duplicate \"uri\" variable in %s:3",
        "auth_request_set $a;              | invalid number of arguments in \"auth_request_set\" directive in %s:3",
        "auth_request_set $a $nope;        | unknown \"nope\" variable in %s:3",
    })
    void configErrors(String directive, String message) throws Exception {
        Path dir = Files.createTempDirectory("auth-request-conf");
        ConfException e = TestGateway.configError(dir, "events { }\nhttp {\n" + directive + "\n}\n",
                AuthRequestDifferentialTest.MODULES);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(message.formatted(dir.resolve("nginx.conf")));
    }

    @Test
    void aVariableMayBeSetByBothSetAndAuthRequestSet() throws Exception {
        try (TestGateway g = TestGateway.start("""
                events { }
                http {
                    auth_request_set $user $upstream_http_x_user;
                    server {
                        listen 127.0.0.1:%d;
                        location / { set $user anonymous; return 200 $user; }
                    }
                }
                """.formatted(TestGateway.freePort()), AuthRequestDifferentialTest.MODULES)) {
            assertThat(RawHttpClient.get(g.port(), "/").bodyString()).isEqualTo("anonymous");
        }
    }
}
