package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code chunked_transfer_encoding} against stock nginx: a response of unknown length to an HTTP/1.1 client is
 * chunked by default; with {@code off} it is sent as it comes and ended by closing the connection.
 */
class ChunkedTransferEncodingDifferentialTest {

    static TestBackend upstream;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestBackend.start().reply(Reply.chunked(200, List.of("hello ", "world")));
        String location = "proxy_pass http://" + upstream.hostPort() + "; proxy_http_version 1.1;";
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    location /on/ { %s }
                    location /off/ { chunked_transfer_encoding off; %s }
                }
                """.formatted(port, location, location), () -> {
                    List<HttpModule> m = new ArrayList<>(CoreModules.create());
                    m.addAll(ProxyModules.create());
                    return m;
                });
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

    @ParameterizedTest
    @ValueSource(strings = {"/on/", "/off/"})
    void framedAsNginx(String path) {
        String nginx = answer(pair.nginxPort(), path);
        assertThat(answer(pair.gatewayPort(), path)).isEqualTo(nginx);
        if (path.equals("/off/")) {
            assertThat(nginx).doesNotContain("Transfer-Encoding").contains("Connection: close").endsWith("hello world");
        }
    }

    private static String answer(int port, String path) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return SideBySide.masked(c.send("GET " + path + "x HTTP/1.1\r\nHost: a\r\n\r\n").readResponse());
        }
    }
}
