package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.differential.RequestParsingDifferentialTest.Answer;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.SideBySide;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code large_client_header_buffers}: the longest request line (414 beyond) and header line (400 with nginx's 494
 * page beyond) follow its size, as stock nginx's do; the default server of the address sets them.
 */
class HeaderBuffersDifferentialTest {

    static final String SERVERS = """
            server {
                listen 127.0.0.1:%1$d;
                large_client_header_buffers %2$s;
                location / { return 200 "ok\\n"; }
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"4 16k", "2 1k"})
    void linesAsNginx(String buffers) throws Exception {
        List<String> diffs = new ArrayList<>();
        int answered = 0;
        try (SideBySide pair = SideBySide.start(port -> SERVERS.formatted(port, buffers), CoreModules::create)) {
            for (int length : new int[] {900, 1100, 8000, 9000, 16000, 17000}) {
                String[] requests = {
                    "GET /" + "a".repeat(length) + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
                    "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + "b".repeat(length) + "\r\nConnection: close\r\n\r\n",
                };
                for (String request : requests) {
                    Answer nginx = RequestParsingDifferentialTest.send(pair.nginxPort(), request);
                    Answer jwtgate = RequestParsingDifferentialTest.send(pair.gatewayPort(), request);
                    if (!nginx.equals(jwtgate)) {
                        diffs.add(buffers + " " + request.substring(0, 20) + "... (" + length + "): nginx " + nginx
                                + ", jwtgate " + jwtgate);
                    }
                    answered += nginx.status().equals("200") ? 1 : 0;
                }
            }
        }
        assertThat(diffs).isEmpty();
        assertThat(answered).as("requests nginx answers 200").isEqualTo(buffers.startsWith("4") ? 10 : 2);
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"4 x", "0 8k", "4 0", "x 8k"})
    void badValuesRefusedAsNginx(String buffers) throws Exception {
        NginxConfigCheck.assertSameError(dir, "events { }\nhttp {\n    large_client_header_buffers " + buffers
                + ";\n}\n", CoreModules::create);
    }
}
