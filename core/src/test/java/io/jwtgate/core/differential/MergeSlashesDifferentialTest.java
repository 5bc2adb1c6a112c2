package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code merge_slashes off} against stock nginx: runs of slashes in the path stay as they came, for the location
 * and in {@code $uri}, while {@code .}, {@code ..} and escapes are resolved as ever (merging, the default, is what
 * every other test sees); the directive belongs to http and server.
 */
class MergeSlashesDifferentialTest {

    static SideBySide pair;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(port -> """
                merge_slashes off;
                server {
                    listen 127.0.0.1:%d;
                    location = /a//b { return 200 "double $uri\\n"; }
                    location /a/ { return 200 "prefix $uri\\n"; }
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
    @CsvSource({"/a//b, double /a//b", "/a/./%2F/b, prefix /a///b", "/a///c, prefix /a///c", "/a/b/../c, prefix /a/c"})
    void pathAsNginx(String path, String body) throws Exception {
        assertThat(body(pair.gatewayPort(), path)).isEqualTo(body(pair.nginxPort(), path)).isEqualTo(body + "\n");
    }

    @Test
    void notInALocation() throws Exception {
        NginxConfigCheck.assertSameError(dir, "events { }\nhttp { server { location / { merge_slashes off; } } }\n",
                CoreModules::create);
    }

    private static String body(int port, String path) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyString();
        }
    }
}
