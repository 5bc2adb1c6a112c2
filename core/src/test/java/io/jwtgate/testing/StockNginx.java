package io.jwtgate.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Stock nginx running a configuration in the foreground, for differential tests that compare jwtgate's answers
 * with nginx's. CI installs nginx ({@code .ci/run}); {@link #available()} tells whether this machine has it.
 */
public final class StockNginx implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final Path dir;

    private StockNginx(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Skips the calling test where stock nginx is not installed, so that {@code mvn verify} runs on a machine without
     * it; fails it instead under CI ({@code JWTGATE_CI} set by {@code .ci/run}, which installs nginx), where a
     * differential test that passed by skipping would prove nothing.
     */
    public static void assumeAvailable() {
        if (available()) {
            return;
        }
        String message = "stock nginx (" + BINARY + ") is installed by .ci/run; this machine lacks it";
        if (System.getenv("JWTGATE_CI") != null) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
    }

    /**
     * Starts nginx with {@code httpBlockContent} inside {@code http { }}, in a fresh prefix directory, and waits
     * until {@code port} accepts connections.
     */
    public static StockNginx start(String httpBlockContent, int port) throws IOException, InterruptedException {
        return start(httpBlockContent, port, 256, Map.of());
    }

    /** As {@link #start(String, int)}, with {@code environment} added to nginx's (e.g. {@code TZ}). */
    public static StockNginx start(String httpBlockContent, int port, Map<String, String> environment)
            throws IOException, InterruptedException {
        return start(httpBlockContent, port, 256, environment);
    }

    /** As {@link #start(String, int)}, with {@code events { worker_connections }} set. */
    public static StockNginx start(String httpBlockContent, int port, int workerConnections)
            throws IOException, InterruptedException {
        return start(httpBlockContent, port, workerConnections, Map.of());
    }

    private static StockNginx start(String httpBlockContent, int port, int workerConnections,
            Map<String, String> environment)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("stock-nginx");
        Files.createDirectories(dir.resolve("logs"));
        String conf = "worker_processes 1;\nerror_log " + dir.resolve("logs/error.log") + " info;\npid "
                + dir.resolve("nginx.pid") + ";\nevents { worker_connections " + workerConnections + "; }\nhttp {\n"
                + "access_log off;\nclient_body_temp_path " + dir.resolve("body") + ";\nproxy_temp_path "
                + dir.resolve("proxy") + ";\n" + httpBlockContent + "\n}\n";
        Files.writeString(dir.resolve("nginx.conf"), conf, StandardCharsets.UTF_8);
        return launch(dir, port, environment);
    }

    /**
     * Starts nginx on the whole configuration {@code dir/nginx.conf} as it is written there (with its own
     * {@code events}, {@code error_log}, {@code pid} and worker processes, under a master process: a single process
     * would not serve the other workers' {@code reuseport} sockets), {@code dir} as prefix, and waits until
     * {@code port} accepts connections.
     */
    public static StockNginx startConf(Path dir, int port) throws IOException, InterruptedException {
        assumeAvailable();
        Files.createDirectories(dir.resolve("logs"));
        return launch(dir, port, Map.of(), "daemon off;");
    }

    private static StockNginx launch(Path dir, int port, Map<String, String> environment)
            throws IOException, InterruptedException {
        return launch(dir, port, environment, "daemon off; master_process off;");
    }

    private static StockNginx launch(Path dir, int port, Map<String, String> environment, String globals)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c",
                dir.resolve("nginx.conf").toString(), "-g", globals)
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile());
        pb.environment().putAll(environment);
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("logs/stdout.log"))
                        + Files.readString(dir.resolve("logs/error.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new StockNginx(p, dir);
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("nginx did not start listening on " + port);
    }

    public Path dir() {
        return dir;
    }

    /**
     * The messages of the {@code [error]} lines in nginx's error log so far, without time, pid and connection number,
     * read as UTF-8 (the form jwtgate's logger is given text in).
     */
    public List<String> errorMessages() throws IOException {
        return messages("error");
    }

    /** As {@link #errorMessages()}, for the lines of another level ({@code notice}, {@code warn}). */
    public List<String> messages(String level) throws IOException {
        return new String(Files.readAllBytes(dir.resolve("logs/error.log")), StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(" [" + level + "] "))
                .map(line -> line.replaceFirst("^.*? \\[" + level + "\\] [0-9]+#[0-9]+: (\\*[0-9]+ )?", ""))
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
