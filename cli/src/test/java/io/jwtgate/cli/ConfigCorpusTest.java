package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole nginx configurations in the styles people publish (API gateway, auth proxy, SPA with its API, WebSocket
 * app, behind a load balancer, a container next to its services), in {@code src/test/resources/corpus}: stock nginx
 * and jwtgate (with the module list users get) must both accept each one alike, and answer every request of its
 * {@code .requests} file alike (docs/configuration.md#configuration-corpus).
 *
 * <p>Placeholders: {@code @LISTEN@} the listen address, {@code @PREFIX@} the server's own directory (pid, logs),
 * {@code @ROOT@} a document root with an SPA's files, {@code @API@} an echo backend that answers {@code X-Status: N}
 * with that status, {@code @AUTH@} an auth service that admits {@code Bearer let-me-in} (as user alice), forbids
 * {@code Bearer forbidden} and answers 401 to anything else. A request line is {@code METHOD /path}, then
 * {@code | Header: value} pieces and an optional {@code | @body}.
 */
class ConfigCorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/corpus");

    static TestBackend api;
    static TestBackend auth;
    /** The SPA's files, readable by nginx's workers (which run as an unprivileged user). */
    static Path root;

    @BeforeAll
    static void backends() throws IOException {
        api = TestBackend.start(ConfigCorpusTest::api);
        auth = TestBackend.start(ConfigCorpusTest::auth);
        root = Files.createTempDirectory("corpus-root",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(root.resolve("index.html"), "<!doctype html><title>app</title><div id=app></div>\n");
        Files.createDirectories(root.resolve("assets"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(root.resolve("assets/app.js"), "console.log('app');\n".repeat(200));
        Files.writeString(root.resolve("assets/app.css"), "body { margin: 0 }\n");
        Files.writeString(root.resolve("robots.txt"), "User-agent: *\nDisallow:\n");
    }

    @AfterAll
    static void stop() throws IOException {
        api.close();
        auth.close();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Every {@code .conf} of the corpus; each must have its {@code .requests}. */
    static Stream<String> configs() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(CORPUS)) {
            names = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".conf"))
                    .map(f -> f.substring(0, f.length() - ".conf".length())).sorted().toList();
        }
        assertThat(names).as("the corpus").hasSizeGreaterThanOrEqualTo(6);
        for (String name : names) {
            assertThat(CORPUS.resolve(name + ".requests")).as("requests of " + name).isRegularFile();
        }
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void acceptedAndServedAsNginx(String name, @TempDir Path work) throws Exception {
        StockNginx.assumeAvailable();
        Path nginxDir = server(work.resolve("nginx"));
        Path gatewayDir = server(work.resolve("jwtgate"));
        int nginxPort = TestGateway.freePort();
        int gatewayPort = TestGateway.freePort();
        String template = resource(name + ".conf");
        String nginxConf = fill(template, nginxDir, nginxPort);
        String gatewayConf = fill(template, gatewayDir, gatewayPort);

        NginxConfigCheck.assertAcceptedAlike(gatewayDir, gatewayConf, Modules::create);
        Files.writeString(nginxDir.resolve("nginx.conf"), nginxConf);
        try (StockNginx nginx = StockNginx.startConf(nginxDir, nginxPort)) {
            TestGateway gateway = TestGateway.start(gatewayDir, gatewayConf, Modules::create);
            try {
                for (String line : resource(name + ".requests").lines().filter(l -> !l.isBlank()).toList()) {
                    String request = request(line);
                    assertThat(comparable(send(gatewayPort, request), gatewayPort)).as("%s: %s", name, line)
                            .isEqualTo(comparable(send(nginxPort, request), nginxPort));
                }
            } finally {
                gateway.close();
            }
        }
    }

    /** The server's own directory, with the {@code mime.types} its configuration includes (as in /etc/nginx). */
    private static Path server(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        try (InputStream types = Files.newInputStream(Path.of("/etc/nginx/mime.types"))) {
            Files.copy(types, dir.resolve("mime.types"));
        }
        return dir;
    }

    private static String fill(String template, Path dir, int port) {
        return template.replace("@PREFIX@", dir.toString()).replace("@LISTEN@", "127.0.0.1:" + port)
                .replace("@ROOT@", root.toString()).replace("@API@", api.hostPort())
                .replace("@AUTH@", auth.hostPort());
    }

    private static String request(String line) {
        String[] parts = line.split(" \\| ");
        StringBuilder r = new StringBuilder(parts[0]).append(" HTTP/1.1\r\n");
        boolean host = false;
        String body = "";
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("@")) {
                body = parts[i].substring(1);
            } else {
                host |= parts[i].regionMatches(true, 0, "Host:", 0, 5);
                r.append(parts[i]).append("\r\n");
            }
        }
        if (!host) {
            r.append("Host: example.com\r\n");
        }
        return r.append("Connection: close\r\n\r\n").append(body).toString();
    }

    private static RawResponse send(int port, String request) {
        try (RawHttpClient client = RawHttpClient.connect(port)) {
            client.send(request);
            return client.readResponse(request.startsWith("HEAD "));
        }
    }

    /**
     * The response with what must differ masked: {@link SideBySide#masked(RawResponse)} (server name, date), times
     * computed from the clock ({@code Expires}), random request ids and the server's own port in a redirect.
     */
    private static String comparable(RawResponse r, int port) {
        String whole = SideBySide.masked(r);
        if ("gzip".equals(r.header("Content-Encoding"))) {
            // zlib's bytes depend on its window and memory settings, which nginx sizes by the response: compare
            // what they decompress to
            whole = SideBySide.masked(r.head()) + "\n(gunzipped) " + gunzip(r.body());
        }
        return whole.replaceAll("(?m)^Expires: .*$", "Expires: *").replaceAll("[0-9a-f]{32}", "<request id>")
                .replace(":" + port + "/", ":PORT/");
    }

    private static String gunzip(byte[] body) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "not gzip: " + e.getMessage();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConfigCorpusTest.class.getResourceAsStream("/corpus/" + name)) {
            assertThat(in).as("corpus file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Echoes the request, or answers {@code X-Status: N} with status N. */
    private static Reply api(RecordedRequest request) {
        String status = request.header("X-Status");
        return status == null ? Reply.echo() : Reply.status(Integer.parseInt(status), "upstream says " + status);
    }

    private static Reply auth(RecordedRequest request) {
        String authorization = request.header("Authorization");
        if ("Bearer let-me-in".equals(authorization)) {
            return Reply.status(200, "").header("X-Auth-User", "alice");
        }
        return Reply.status("Bearer forbidden".equals(authorization) ? 403 : 401, "");
    }
}
