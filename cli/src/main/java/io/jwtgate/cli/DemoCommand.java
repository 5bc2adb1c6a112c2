package io.jwtgate.cli;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.config.GatewayConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jwtgate demo}: an echo backend (also the demo identity provider's JWKS endpoint) on an ephemeral port, the
 * gateway on 127.0.0.1:8080 with the configuration of {@link DemoScript}, then each example as a ready-to-paste
 * {@code curl} line followed by what it returned (the demo really sends it). Runs until Ctrl-C, through the same
 * start-up and signal handling as {@code -c}.
 */
@Command(name = "demo", description = "Run the built-in demo on 127.0.0.1:8080 until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = {"-p", "--port"}, paramLabel = "<port>", description = "gateway port (default: 8080)")
    int port = 8080;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, GeneralSecurityException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.createTempDirectory("jwtgate-demo");
        Path file = dir.resolve("nginx.conf");
        DemoScript script = DemoScript.create();
        try (EchoBackend backend = EchoBackend.start(Map.of(DemoScript.JWKS_PATH, script.jwks()))) {
            Files.writeString(file, DemoScript.configuration("127.0.0.1:" + port, backend.port()),
                    StandardCharsets.UTF_8);
            GatewayConfig cfg;
            try {
                cfg = Gateway.load(file);
            } catch (ConfException e) {
                err.println("the demo configuration is broken: " + e.getMessage());
                err.flush();
                return Exit.CONFIG;
            }
            List<DemoScript.Example> examples = script.examples();
            return Main.serve(file, cfg, err, gw -> show(out, file, backend.port(), examples));
        } finally {
            deleteTree(dir);
        }
    }

    /** Removes the demo's directory: its configuration and the key cache the gateway wrote under it. */
    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void show(PrintWriter out, Path file, int backendPort, List<DemoScript.Example> examples) {
        out.println("jwtgate demo: gateway on http://127.0.0.1:" + port + "/, echo backend on http://127.0.0.1:"
                + backendPort + "/");
        out.println("configuration: " + file);
        out.println();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (DemoScript.Example ex : examples) {
            String url = "http://127.0.0.1:" + (ex.direct() ? backendPort : port) + ex.path();
            StringBuilder curl = new StringBuilder("curl -i");
            if (!ex.method().equals("GET")) {
                curl.append(" -X ").append(ex.method());
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .method(ex.method(), ex.method().equals("GET") ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(""));
            if (ex.method().equals("GET")) {
                req.GET();
            }
            for (String h : ex.headers()) {
                curl.append(" -H '").append(h).append('\'');
                int colon = h.indexOf(':');
                req.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
            }
            curl.append(' ').append(url);
            out.println("# " + ex.title());
            out.println(curl);
            try {
                HttpResponse<String> r = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
                String location = r.headers().firstValue("Location").map(l -> " (Location: " + l + ")").orElse("");
                String challenge = r.headers().firstValue("WWW-Authenticate")
                        .map(c -> "\n  WWW-Authenticate: " + c).orElse("");
                out.println("  -> " + r.statusCode() + location + challenge);
                String body = r.body().strip();
                if (!body.isEmpty() && !body.startsWith("<html>")) {
                    out.println("  " + body.replace("\n", "\n  "));
                }
            } catch (IOException e) {
                out.println("  -> failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.println();
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
