package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code limit_except} against stock nginx: which methods its block's access rules apply to (GET brings HEAD, an
 * unknown method is limited), {@code proxy_pass} inherited into the block or set in it, a named location's block,
 * and the refusals of {@code nginx -t}.
 */
class LimitExceptDifferentialTest {

    static TestBackend main;
    static TestBackend other;
    static SideBySide pair;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        main = TestBackend.start(request -> Reply.status(200, "main " + request.method() + "\n"));
        other = TestBackend.start(request -> Reply.status(200, "other " + request.method() + "\n"));
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    location /read/ {
                        limit_except GET { deny all; }
                        proxy_pass http://%s;
                    }
                    location /rw/ {
                        proxy_pass http://%2$s;
                        limit_except get Post { allow 127.0.0.2; deny all; }
                    }
                    location /open/ {
                        limit_except GET { allow 127.0.0.1; deny all; }
                        proxy_pass http://%2$s;
                    }
                    location /split/ {
                        limit_except GET { proxy_pass http://%s; }
                        proxy_pass http://%2$s;
                    }
                    location /jump/ {
                        error_page 418 = @named;
                        return 418;
                    }
                    location @named {
                        limit_except GET { deny all; }
                        proxy_pass http://%2$s;
                    }
                }
                """.formatted(port, main.hostPort(), other.hostPort()), Modules::create);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (main != null) {
            main.close();
        }
        if (other != null) {
            other.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /read/", "HEAD /read/", "POST /read/", "PUT /read/", "DELETE /read/", "OPTIONS /read/", "PATCH /read/",
        "FOO /read/", "GET /rw/", "HEAD /rw/", "POST /rw/", "PUT /rw/", "GET /open/", "POST /open/",
        "GET /split/", "POST /split/", "DELETE /split/", "GET /jump/", "POST /jump/",
    })
    void sameAnswersAsNginx(String request) {
        String raw = request + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        boolean head = request.startsWith("HEAD ");
        assertThat(SideBySide.masked(send(pair.gatewayPort(), raw, head))).as(request)
                .isEqualTo(SideBySide.masked(send(pair.nginxPort(), raw, head)));
    }

    private static RawResponse send(int port, String raw, boolean head) {
        try (RawHttpClient client = RawHttpClient.connect(port)) {
            return client.send(raw).readResponse(head);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "location / { limit_except GET { } limit_except POST { } }",
        "location / { limit_except GET FOO { } }",
        "location / { limit_except { } }",
        "limit_except GET { }",
        "location / { limit_except GET { return 403; } }",
        "location / { limit_except GET { location /x { } } }",
        "location / { limit_except GET; }",
        "location / { if ($arg_x) { limit_except GET { } } }",
    })
    void refusedAsByNginx(String server) throws Exception {
        NginxConfigCheck.assertSameError(dir, "events { }\nhttp {\nserver {\n" + server + "\n}\n}\n",
                Modules::create);
    }
}
