package io.jwtgate.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Non-ASCII text through variables, against stock nginx: a UTF-8 header matched by a {@code map} key written in the
 * configuration, put in a body, in {@code add_header} and in the access log; a byte that is not UTF-8 passed through
 * unchanged. nginx works on bytes throughout; jwtgate decodes and encodes UTF-8 at the edges and must end up with
 * the same bytes.
 */
class TextDifferentialTest {

    static final String CONFIG = """
            log_format t '$http_x_name|$greet|$cookie_c';
            map $http_x_name $greet {
                "Jos\u00e9" yes;
                default no;
            }
            server {
                listen 127.0.0.1:%2$d;
                access_log %1$s/access-%2$d.log t;
                location / {
                    add_header X-Added "Gr\u00fc\u00dfe $http_x_name";
                    return 200 "$greet $http_x_name $cookie_c";
                }
            }
            """;

    /** Header values as bytes, one char each: UTF-8 "José", a lone Latin-1 e-acute, a UTF-8 cookie. */
    static final String[][] REQUESTS = {
        {"X-Name: " + bytes("Jos\u00e9"), "Cookie: c=" + bytes("\u674e")},
        {"X-Name: Jos\u00e9", "Cookie: c=x"},
        {"X-Name: plain"},
    };

    static Path dir;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("text-diff");
        pair = SideBySide.start(port -> CONFIG.formatted(dir, port), () -> {
            var modules = new ArrayList<>(CoreModules.create());
            modules.add(new MapModule());
            return modules;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    static String bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void sameBytesAsNginx() throws Exception {
        for (String[] headers : REQUESTS) {
            String expected = SideBySide.masked(get(pair.nginxPort(), headers));
            String actual = SideBySide.masked(get(pair.gatewayPort(), headers));
            assertThat(actual).as(String.join(" | ", headers)).isEqualTo(expected);
        }
        assertThat(SideBySide.masked(get(pair.nginxPort(), REQUESTS[0])))
                .contains("X-Added: " + bytes("Gr\u00fc\u00dfe Jos\u00e9") + "\r\n",
                        "yes " + bytes("Jos\u00e9 \u674e"));
        List<String> expected = logLines(pair.nginxPort(), REQUESTS.length + 1);
        assertThat(logLines(pair.gatewayPort(), REQUESTS.length)).isEqualTo(expected.subList(0, REQUESTS.length));
    }

    private static RawResponse get(int port, String[] headers) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send("GET / HTTP/1.1\r\nHost: a\r\n" + String.join("\r\n", headers) + "\r\n\r\n")
                    .readResponse();
        }
    }

    /** The access log's lines as bytes (one char each), once it has {@code count} of them (it is written behind). */
    private static List<String> logLines(int port, int count) throws Exception {
        Path log = dir.resolve("access-" + port + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(20);
        }
    }
}
