package io.jwtgate.core.config;

import java.nio.file.Path;

/**
 * The process-wide settings of the main context.
 *
 * @param workerProcesses event-loop threads ({@code worker_processes}, {@code auto} = cores; default 1)
 * @param workerConnections {@code events { worker_connections }}, connections per worker (default 512)
 * @param pidFile {@code pid}, or {@code null}
 * @param errorLog {@code error_log} file, or {@code null} for standard error
 * @param errorLogLevel {@code error_log} level (default {@code error})
 */
public record MainConf(int workerProcesses, int workerConnections, Path pidFile, Path errorLog,
        String errorLogLevel) {
}
