package io.jwtgate.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code limit_rate}, {@code limit_rate_after} and {@code set $limit_rate} against stock nginx: a 100,000-byte file
 * at 40 KiB/s goes out in three writes a second apart (2 to 3 s, as nginx's clock turns), after 20,000 bytes at full
 * speed in two (1 to 2 s), and without a limit at once; the body arrives whole either way.
 */
class LimitRateDifferentialTest {

    static StaticSite site;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        site = StaticSite.create();
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%1$d;
                    root %2$s/;
                    location /rate/ { alias %2$s/; limit_rate 40k; }
                    location /after/ { alias %2$s/; limit_rate 40k; limit_rate_after 20000; }
                    location /set/ { alias %2$s/; limit_rate 1; set $limit_rate 40k; }
                    location /unset/ { alias %2$s/; limit_rate 40k; set $limit_rate 0; }
                }
                """.formatted(port, site.root), StaticSite.MODULES);
        timed(pair.gatewayPort(), "/big.bin"); // warmed up: the first response of a cold JVM is slow by itself
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"/rate/big.bin, 2", "/after/big.bin, 1", "/set/big.bin, 2", "/unset/big.bin, 0", "/big.bin, 0"})
    void sendsAtNginxsPace(String path, int seconds) {
        long nginx = timed(pair.nginxPort(), path);
        long gateway = timed(pair.gatewayPort(), path);
        // nginx counts whole seconds of its clock: where in a second the request starts moves the end by most of one
        assertThat(nginx).as("nginx's time in ms").isBetween(seconds * 1000L - 500, seconds * 1000L + 1200);
        assertThat(gateway).as("jwtgate's time in ms, nginx's " + nginx)
                .isBetween(seconds * 1000L - 500, seconds * 1000L + 1200);
    }

    private static long timed(int port, String path) {
        long start = System.nanoTime();
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            RawResponse r = c.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse();
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body()).hasSize(100_000);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
