package io.jwtgate.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The process-wide settings of the main context.
 *
 * @param workerProcesses event-loop threads ({@code worker_processes}, {@code auto} = cores; default 1)
 * @param workerConnections {@code events { worker_connections }}, connections per worker (default 512)
 * @param pidFile {@code pid}, or {@code null}
 * @param errorLog {@code error_log} file, or {@code null} for standard error
 * @param errorLogLevel {@code error_log} level (default {@code error})
 * @param shutdownTimeout {@code worker_shutdown_timeout}: how long a graceful quit waits for requests in progress
 *     (default 60s: nginx waits without limit, docs/cli.md)
 */
public record MainConf(int workerProcesses, int workerConnections, Path pidFile, Path errorLog,
        String errorLogLevel, Duration shutdownTimeout) {

    /** jwtgate's bound on a graceful quit when {@code worker_shutdown_timeout} does not set one. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);
}
