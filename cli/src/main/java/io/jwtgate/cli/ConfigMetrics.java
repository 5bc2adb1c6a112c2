package io.jwtgate.cli;

import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.MetricRegistry;
import io.jwtgate.core.module.Metrics;

/**
 * The running configuration's metrics (docs/operations.md#metrics): its generation (reloads begun, as in the
 * {@link ReloadStatus} file), reloads by result, and the last reload's result and time. They belong to the process,
 * not to one configuration, so their gauges are published once and never withdrawn.
 */
final class ConfigMetrics {

    private final Counter succeeded;
    private final Counter failed;
    private volatile long generation;
    private volatile boolean lastOk = true;
    private volatile long lastReloadMillis;

    ConfigMetrics(MetricRegistry registry) {
        MetricRegistry.Load process = registry.newLoad();
        Metrics.Family<Counter> reloads = process.counter("jwtgate_config_reloads_total",
                "Reloads (-s reload, HUP) by result: ok, or failed and the running configuration kept", "result");
        succeeded = reloads.labels("ok");
        failed = reloads.labels("failed");
        process.gauge("jwtgate_config_generation", "Reloads begun since start-up: 0 for the first configuration")
                .sample(() -> generation);
        process.gauge("jwtgate_config_last_reload_success",
                "1 when the last reload succeeded or none was tried, 0 when it failed").sample(() -> lastOk ? 1 : 0);
        process.gauge("jwtgate_config_last_reload_timestamp_seconds",
                "When the last reload ended, in seconds since the epoch; 0 before the first")
                .sample(() -> lastReloadMillis / 1000.0);
        process.start();
    }

    /** Reload {@code generation} ended, applied or not. */
    void reloaded(long generation, boolean ok) {
        this.generation = generation;
        this.lastOk = ok;
        this.lastReloadMillis = System.currentTimeMillis();
        (ok ? succeeded : failed).inc();
    }
}
