package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
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
 * {@code proxy_ignore_headers} and {@code proxy_hide_header} with {@code proxy_cache}, against stock nginx: an
 * upstream header that keeps a response out of the cache ({@code Set-Cookie}, {@code Cache-Control},
 * {@code Expires}, {@code X-Accel-Expires}, {@code Vary: *}) stops doing so once ignored, and still does when only
 * hidden. Each case is asked twice: {@code MISS} then {@code HIT} when stored, {@code MISS} twice when not.
 */
class IgnoreHeadersCacheDifferentialTest {

    static TestBackend upstream;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestBackend.start(AskedReplies.behaviour());
        Path dir = Files.createTempDirectory("ignore-headers");
        pair = SideBySide.start(port -> """
                proxy_cache_path %1$s/c%2$d keys_zone=z%2$d:1m;
                server {
                    listen 127.0.0.1:%2$d;
                    proxy_cache z%2$d;
                    proxy_cache_valid 200 1m;
                    add_header X-Cache $upstream_cache_status;
                    location /plain/ { proxy_pass http://%3$s; }
                    location /ignored/ {
                        proxy_pass http://%3$s;
                        proxy_ignore_headers Set-Cookie Cache-Control;
                        proxy_ignore_headers expires X-Accel-Expires VARY;
                    }
                    location /ignored-xa/ { proxy_pass http://%3$s; proxy_ignore_headers X-Accel-Expires; }
                    location /hidden/ {
                        proxy_pass http://%3$s;
                        proxy_hide_header Set-Cookie;
                        proxy_hide_header Cache-Control;
                    }
                }
                """.formatted(dir, port, upstream.hostPort()), Gateways.modules());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static final String[][] CASES = {
        {"Set-Cookie: a=1"},
        {"Cache-Control: no-cache"},
        {"Cache-Control: private"},
        {"Expires: Thu, 01 Jan 1970 00:00:00 GMT"},
        {"X-Accel-Expires: 0"},
        {"Vary: *"},
        {"X-Accel-Expires: 0", "Cache-Control: max-age=60"},
        {"X-Accel-Expires: 60", "Cache-Control: no-store"},
    };

    @Test
    void storedAsByNginx() {
        List<String> diffs = new ArrayList<>();
        int hits = 0;
        for (String location : new String[] {"/plain/", "/ignored/", "/ignored-xa/", "/hidden/"}) {
            for (int i = 0; i < CASES.length; i++) {
                String path = location + "case" + i;
                String expected = twice(pair.nginxPort(), path, CASES[i]);
                String actual = twice(pair.gatewayPort(), path, CASES[i]);
                hits += expected.contains("X-Cache: HIT") ? 1 : 0;
                if (!expected.equals(actual)) {
                    diffs.add(path + " " + String.join(" | ", CASES[i]) + "\n   nginx:\n" + expected
                            + "\n   jwtgate:\n" + actual);
                }
            }
        }
        assertThat(diffs).as("answers that differ").isEmpty();
        assertThat(hits).as("cases nginx answered from its cache").isGreaterThan(5);
    }

    private static String twice(int port, String path, String... replies) {
        List<String> lines = new ArrayList<>();
        for (String r : replies) {
            lines.add("X-Reply: " + r);
        }
        String[] h = lines.toArray(new String[0]);
        return SideBySide.masked(RawHttpClient.get(port, path, h)) + "\n+\n"
                + SideBySide.masked(RawHttpClient.get(port, path, h));
    }
}
