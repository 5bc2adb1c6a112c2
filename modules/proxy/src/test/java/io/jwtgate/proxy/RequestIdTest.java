package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code $request_id} passed upstream ({@code proxy_set_header X-Request-ID $request_id}), the operator's way to
 * follow one request through the backends' logs: the backend, the client (through {@code add_header}) and the access
 * log see the same id, and each request has its own.
 */
class RequestIdTest {

    @Test
    void theSameIdUpstreamInTheAnswerAndInTheLog() throws Exception {
        Path dir = Files.createTempDirectory("request-id");
        try (TestBackend backend = TestBackend.start();
                TestGateway gw = Gateways.start("log_format id '$request_id $upstream_status';", """
                        location / {
                            proxy_set_header X-Request-ID $request_id;
                            add_header X-Request-ID $request_id always;
                            access_log %s/id.log id;
                            proxy_pass http://%s;
                        }
                        """.formatted(dir, backend.hostPort()))) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                RawResponse r = RawHttpClient.get(gw.port(), "/r" + i);
                String id = r.header("X-Request-ID");
                assertThat(id).matches("[0-9a-f]{32}");
                assertThat(backend.takeRequest(Duration.ofSeconds(5)).headers().all("X-Request-ID"))
                        .containsExactly(id);
                ids.add(id);
            }
            assertThat(ids).hasSize(3);
            Path log = dir.resolve("id.log");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (lines(log).size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(lines(log)).map(l -> l.split(" ")[0]).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    private static List<String> lines(Path log) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
    }
}
