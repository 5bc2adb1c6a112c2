package io.jwtgate.authrequest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code auth_delay} against stock nginx: a 401 of the access phase waits the delay, a 403 and a location without
 * the delay answer at once, as nginx's {@code ngx_http_core_auth_delay} does.
 */
class AuthDelayDifferentialTest {

    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    location /delayed/ { auth_delay 1s; auth_request /_no; }
                    location /forbidden/ { auth_delay 1s; auth_request /_forbidden; }
                    location /prompt/ { auth_request /_no; }
                    location = /_no { internal; return 401; }
                    location = /_forbidden { internal; return 403; }
                }
                """.formatted(port), AuthRequestDifferentialTest.MODULES);
        answer(pair.gatewayPort(), "/prompt/"); // warmed up: a cold JVM's first answer is slow by itself
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"/delayed/, 401, true", "/forbidden/, 403, false", "/prompt/, 401, false"})
    void a401OfTheAccessPhaseWaits(String path, int status, boolean delayed) {
        for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
            long start = System.nanoTime();
            assertThat(answer(port, path)).as(path).isEqualTo(status);
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (delayed) {
                assertThat(ms).as(path + " on port " + port).isBetween(950L, 2000L);
            } else {
                assertThat(ms).as(path + " on port " + port).isLessThan(700L);
            }
        }
    }

    private static int answer(int port, String path) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse().code();
        }
    }
}
