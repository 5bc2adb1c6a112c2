package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jwtgate demo} as a real process: it prints its examples with real answers and stops on SIGTERM. */
class DemoTest {

    @TempDir
    Path dir;

    @Test
    void demoPrintsWorkingExamplesAndStops() throws Exception {
        int port = TestGateway.freePort();
        try (ChildProcess demo = ChildProcess.start(dir, "demo", "--port", Integer.toString(port))) {
            demo.await("the examples", Duration.ofSeconds(30), () -> demo.stdout().contains("Press Ctrl-C"));
            String out = demo.stdout();
            assertThat(out).contains("gateway on http://127.0.0.1:" + port + "/");
            String[] blocks = out.split("\n\n");
            assertThat(block(blocks, "a valid HS256 token")).contains("-> 200").contains("\"x-user-id\":\"alice\"");
            assertThat(block(blocks, "an expired token")).contains("-> 401")
                    .contains("error_description=\"token expired\"");
            assertThat(block(blocks, "signed with another secret")).contains("-> 401")
                    .contains("error_description=\"signature verification failed\"");
            assertThat(block(blocks, "no token")).contains("-> 401\n  WWW-Authenticate: Bearer\n");
            assertThat(block(blocks, "keys from the JWKS endpoint")).contains("-> 200")
                    .contains("\"x-user-id\":\"bob\"");
            assertThat(block(blocks, "at the JWKS-protected location")).contains("-> 401");
            assertThat(out).doesNotContain("failed:");
            // the demo's key location caches, as the README's example does: no "fetched on every request" warning
            assertThat(demo.stdout() + demo.stderr()).doesNotContain("without a cache");
            assertThat(demo.stderr()).contains("\"GET /api/hello HTTP/1.1\" 200").contains("jwt=expired");
            assertThat(Signals.send("TERM", demo.pid())).isNull();
            assertThat(demo.waitFor(Duration.ofSeconds(20))).isEqualTo(Exit.OK);
        }
    }

    private static String block(String[] blocks, String title) {
        for (String b : blocks) {
            if (b.lines().anyMatch(l -> l.startsWith("# ") && l.contains(title))) {
                return b + "\n";
            }
        }
        throw new AssertionError("no example \"" + title + "\" in the demo output");
    }

    @Test
    void echoBackendJson() {
        assertThat(EchoBackend.json("GET", "/a?b=\"c\"", Map.of("X-User-Id", List.of("alice"),
                "Accept", List.of("a", "b"))))
                .isEqualTo("{\"method\":\"GET\",\"uri\":\"/a?b=\\\"c\\\"\",\"headers\":{\"accept\":\"a, b\","
                        + "\"x-user-id\":\"alice\"}}");
    }

    @Test
    void demoConfigurationPassesTheTest() throws Exception {
        Path f = dir.resolve("demo.conf");
        Files.writeString(f, DemoScript.configuration("127.0.0.1:8080", 9999));
        assertThat(MainTest.run("-t", "-c", f.toString()).code()).isEqualTo(Exit.OK);
    }
}
