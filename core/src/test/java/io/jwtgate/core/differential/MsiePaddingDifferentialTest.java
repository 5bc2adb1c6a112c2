package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code msie_padding} against stock nginx: the server's own error pages get nginx's padding comments for MSIE and
 * Chrome (not Opera, not Gecko-based Chrome look-alikes), not for a redirect's page, not for a text of {@code return},
 * and not with {@code off}.
 */
class MsiePaddingDifferentialTest {

    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    location / { return 404; }
                    location /text/ { return 404 "gone\\n"; }
                    location /moved/ { return 302 /elsewhere; }
                    location /off/ { msie_padding off; return 404; }
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
        "/x | Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 | true",
        "/x | Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1) | true",
        "/x | Opera/9.80 (compatible; MSIE 6.0) | false",
        "/x | Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0 Chrome/1 | false",
        "/x | curl/8.0 | false",
        "/text/ | Chrome/120.0 | false",
        "/moved/ | Chrome/120.0 | false",
        "/off/ | Chrome/120.0 | false",
    })
    void paddedAsByNginx(String path, String userAgent, boolean padded) {
        String raw = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: " + userAgent + "\r\n\r\n";
        String nginx = answer(pair.nginxPort(), raw);
        assertThat(answer(pair.gatewayPort(), raw)).isEqualTo(nginx);
        assertThat(nginx.contains("<!-- a padding to disable MSIE and Chrome friendly error page -->"))
                .as("nginx pads").isEqualTo(padded);
    }

    /** The status line and the body, signature masked (a redirect's {@code Location} names each side's port). */
    private static String answer(int port, String raw) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            String masked = SideBySide.masked(c.send(raw).readResponse());
            return masked.substring(0, masked.indexOf("\r\n")) + masked.substring(masked.indexOf("\r\n\r\n"));
        }
    }
}
