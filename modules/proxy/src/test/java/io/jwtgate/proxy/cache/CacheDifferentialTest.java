package io.jwtgate.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A response served from the cache, by stock nginx and by jwtgate, from the same upstream answer: the same status
 * line, headers and body on the miss and on the hit.
 */
class CacheDifferentialTest {

    static TestBackend backend;
    static TestBackend redirecting;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start();
        backend.reply(Reply.status(200, "cached body").header("Cache-Control", "max-age=60")
                .header("ETag", "\"e1\"").header("X-Upstream", "u"));
        // a 302 says "Found": nginx's own table says "Moved Temporarily", but a cached answer keeps the upstream's
        redirecting = TestBackend.start();
        redirecting.reply(Reply.status(302, "").header("Location", "http://elsewhere/").header("Cache-Control",
                "max-age=60"));
        Path dir = Files.createTempDirectory("cache-diff");
        pair = SideBySide.start(port -> """
                proxy_cache_path %1$s/c%2$d keys_zone=z%2$d:1m;
                server {
                    listen 127.0.0.1:%2$d;
                    location / {
                        proxy_cache z%2$d;
                        add_header X-Cache $upstream_cache_status;
                        proxy_pass http://%3$s;
                    }
                    location /redirect {
                        proxy_cache z%2$d;
                        add_header X-Cache $upstream_cache_status;
                        proxy_pass http://%4$s;
                    }
                }
                """.formatted(dir, port, backend.hostPort(), redirecting.hostPort()), () -> {
                    List<HttpModule> modules = new ArrayList<>(CoreModules.create());
                    modules.addAll(ProxyModules.create());
                    return modules;
                });
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (redirecting != null) {
            redirecting.close();
        }
    }

    @Test
    void missThenHitAsNginx() {
        missThenHit("/x");
    }

    @Test
    void aCachedRedirectKeepsTheUpstreamsStatusLine() {
        missThenHit("/redirect");
        assertThat(RawHttpClient.get(pair.gatewayPort(), "/redirect").head()).startsWith("HTTP/1.1 302 Found\r\n");
    }

    private static void missThenHit(String path) {
        for (String expectedStatus : new String[] {"MISS", "HIT"}) {
            String expected = SideBySide.masked(RawHttpClient.get(pair.nginxPort(), path));
            String actual = SideBySide.masked(RawHttpClient.get(pair.gatewayPort(), path));
            assertThat(expected).contains("X-Cache: " + expectedStatus + "\r\n");
            assertThat(actual).isEqualTo(expected);
        }
    }
}
