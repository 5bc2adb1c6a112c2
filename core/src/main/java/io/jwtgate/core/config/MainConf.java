package io.jwtgate.core.config;

import io.jwtgate.core.codec.SyslogPeer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process-wide settings of the main context.
 *
 * @param workerProcesses event-loop threads ({@code worker_processes}, {@code auto} = cores; default 1)
 * @param workerConnections {@code events { worker_connections }}, connections per worker (default 512)
 * @param pidFile {@code pid}, or {@code null}
 * @param errorLog {@code error_log} file, or {@code null} for standard error or syslog
 * @param errorLogLevel {@code error_log} level (default {@code error})
 * @param shutdownTimeout {@code worker_shutdown_timeout}: how long a graceful quit waits for requests in progress
 *     (default 60s: nginx waits without limit, docs/cli.md)
 * @param errorLogSyslog {@code error_log syslog:...}, or {@code null}
 */
public record MainConf(int workerProcesses, int workerConnections, Path pidFile, Path errorLog,
        String errorLogLevel, Duration shutdownTimeout, SyslogPeer errorLogSyslog) {

    /** jwtgate's bound on a graceful quit when {@code worker_shutdown_timeout} does not set one. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

    /** Whether the error log goes to standard error (no file, no syslog server). */
    public boolean errorLogToStderr() {
        return errorLog == null && errorLogSyslog == null;
    }
}
