package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code $limit_rate} against stock nginx: 0 until set or until the response starts (so a {@code return} shows 0
 * under {@code limit_rate}), the size {@code set} gives it in bytes, and an invalid one left as it was with nginx's
 * error line; {@code limit_rate} with a variable is refused by name.
 */
class LimitRateVariableDifferentialTest {

    static SideBySide pair;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    location /none/ { return 200 "[$limit_rate]\\n"; }
                    location /conf/ { limit_rate 100k; return 200 "[$limit_rate]\\n"; }
                    location /set/ { set $limit_rate 50k; return 200 "[$limit_rate]\\n"; }
                    location /bytes/ { set $limit_rate 1000; return 200 "[$limit_rate]\\n"; }
                    location /bad/ { set $limit_rate 1x; return 200 "[$limit_rate]\\n"; }
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
    @CsvSource({"/none/, [0]", "/conf/, [0]", "/set/, [51200]", "/bytes/, [1000]", "/bad/, [0]"})
    void showsWhatNginxShows(String path, String body) {
        assertThat(body(pair.gatewayPort(), path)).isEqualTo(body(pair.nginxPort(), path)).isEqualTo(body + "\n");
    }

    @Test
    void anInvalidValueIsLoggedAsByNginx() throws Exception {
        body(pair.nginxPort(), "/bad/");
        assertThat(pair.nginxErrorMessages()).anyMatch(m -> m.contains("invalid $limit_rate \"1x\""));
    }

    /**
     * nginx takes it; jwtgate says why it does not rather than misread it
     * (docs/configuration.md#limit_rate-limit_rate_after).
     */
    @Test
    void aVariableInLimitRateIsRefusedByName() throws Exception {
        String conf = "events { }\nhttp {\nlimit_rate $arg_r;\n}\n";
        assertThat(NginxConfigCheck.run(dir, conf).successful()).isTrue();
        assertThat(TestGateway.configError(dir, conf, CoreModules::create)).hasMessageContaining(
                "variables in \"limit_rate\" are not supported by jwtgate yet");
    }

    private static String body(int port, String path) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse().bodyString();
        }
    }
}
