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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code keepalive_disable} against stock nginx: by default MSIE 4-6 (not 6 with SV1, not Opera) lose keep-alive
 * after a POST; {@code safari} closes Safari on Mac OS X; {@code none} keeps everyone.
 */
class KeepaliveDisableDifferentialTest {

    static SideBySide pair;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    location / { return 200 "ok\\n"; }
                    location /safari/ { keepalive_disable msie6 safari; return 200 "ok\\n"; }
                    location /none/ { keepalive_disable none; return 200 "ok\\n"; }
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
    @CsvSource(delimiter = '|', value = {
        "POST / | Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
        "GET / | Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
        "POST / | Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)",
        "POST / | Mozilla/4.0 (compatible; MSIE 5.5; Windows 98)",
        "POST / | Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0)",
        "POST / | Opera/9.80 (compatible; MSIE 6.0)",
        "POST / | MSIE 6.",
        "GET / | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15",
        "GET /safari/ | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15",
        "GET /safari/ | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/120.0 Safari/537.36",
        "GET /safari/ | Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1",
        "POST /safari/ | Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
        "POST /none/ | Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
    })
    void connectionAsNginx(String request, String userAgent) {
        String raw = request + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: " + userAgent
                + "\r\nContent-Length: 0\r\n\r\n";
        assertThat(head(pair.gatewayPort(), raw)).as(request + " " + userAgent).isEqualTo(head(pair.nginxPort(), raw));
    }

    private static String head(int port, String raw) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return SideBySide.masked(c.send(raw).readResponse().head());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"keepalive_disable opera;", "keepalive_disable;"})
    void refusedAsByNginx(String directive) throws Exception {
        NginxConfigCheck.assertSameError(dir, "events { }\nhttp {\n" + directive + "\n}\n", CoreModules::create);
    }

    @Test
    void aRepeatedWordWarnsAsNginx() throws Exception {
        String conf = "events { }\nhttp {\nkeepalive_disable msie6 msie6;\n}\n";
        assertThat(NginxConfigCheck.assertAcceptedAlike(dir, conf, CoreModules::create)).hasSize(1);
    }
}
