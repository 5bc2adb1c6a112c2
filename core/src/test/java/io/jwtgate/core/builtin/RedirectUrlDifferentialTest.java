package io.jwtgate.core.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code absolute_redirect}, {@code port_in_redirect} and {@code server_name_in_redirect} against stock nginx: the
 * {@code Location} of redirects to a path, with and without {@code Host}, at every level (each side's own port is
 * masked).
 */
class RedirectUrlDifferentialTest {

    static SideBySide pair;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    server_name first.example second.example;
                    location /default/ { return 302 /target; }
                    location /relative/ { absolute_redirect off; return 302 /target; }
                    location /noport/ { port_in_redirect off; return 301 /target?a=1; }
                    location /name/ { server_name_in_redirect on; return 302 /target; }
                    location /both/ { server_name_in_redirect on; port_in_redirect off; rewrite ^ /t redirect; }
                    location /url/ { absolute_redirect off; return 302 http://other.example/x; }
                    location /error/ { port_in_redirect off; error_page 404 =302 /target; return 404; }
                    location /inherit/ {
                        absolute_redirect off;
                        location /inherit/inner/ { return 302 /target; }
                    }
                }
                """.formatted(port), CoreModules::create);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /default/ HTTP/1.1\r\nHost: example.com",
        "GET /default/ HTTP/1.1\r\nHost: example.com:8443",
        "GET /default/ HTTP/1.0",
        "GET http://absolute.example/default/ HTTP/1.1\r\nHost: example.com",
        "GET /relative/ HTTP/1.1\r\nHost: example.com",
        "GET /noport/ HTTP/1.1\r\nHost: example.com",
        "GET /name/ HTTP/1.1\r\nHost: example.com",
        "GET /name/ HTTP/1.0",
        "GET /both/ HTTP/1.1\r\nHost: example.com",
        "GET /url/ HTTP/1.1\r\nHost: example.com",
        "GET /error/ HTTP/1.1\r\nHost: example.com",
        "GET /inherit/inner/ HTTP/1.1\r\nHost: example.com",
    })
    void sameLocationAsNginx(String head) {
        String raw = head + "\r\nConnection: close\r\n\r\n";
        assertThat(masked(send(pair.gatewayPort(), raw), pair.gatewayPort())).as(head)
                .isEqualTo(masked(send(pair.nginxPort(), raw), pair.nginxPort()));
    }

    private static RawResponse send(int port, String raw) {
        try (RawHttpClient client = RawHttpClient.connect(port)) {
            return client.send(raw).readResponse();
        }
    }

    private static String masked(RawResponse r, int port) {
        return SideBySide.masked(r).replace(":" + port + "/", ":PORT/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"absolute_redirect maybe;", "port_in_redirect on; port_in_redirect off;",
        "server_name_in_redirect;"})
    void refusedAsByNginx(String directive) throws Exception {
        NginxConfigCheck.assertSameError(dir, "events { }\nhttp {\nserver {\n" + directive + "\n}\n}\n",
                CoreModules::create);
    }
}
