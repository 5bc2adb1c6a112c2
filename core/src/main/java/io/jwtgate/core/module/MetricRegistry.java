package io.jwtgate.core.module;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The metrics of one process: every family modules declared, in declaration order, and the client connection
 * counts. The configuration loader owns one and hands each load a {@link Load} as {@link HttpInit#metrics}, so that
 * counters outlive reloads and gauges follow the configuration being served. The exposition formats are not here:
 * the metrics module writes these with the Prometheus client's writers (docs/operations.md#metrics).
 */
public final class MetricRegistry {

    private final Map<String, MetricFamily> families = new LinkedHashMap<>();
    private final ConnectionCounts connections = new ConnectionCounts();

    public ConnectionCounts connections() {
        return connections;
    }

    /** The view of this registry for one configuration load; register it as a lifecycle of that load. */
    public Load newLoad() {
        return new Load();
    }

    public synchronized List<MetricFamily> families() {
        return List.copyOf(families.values());
    }

    private synchronized MetricFamily family(String name, String help, MetricFamily.Type type, String[] labelNames,
            double[] upperBounds) {
        List<String> labels = List.of(labelNames);
        MetricFamily f = families.get(name);
        if (f == null) {
            f = new MetricFamily(name, help, type, labels, upperBounds == null ? null : upperBounds.clone());
            families.put(name, f);
        } else if (!f.sameAs(help, type, labels, upperBounds)) {
            throw new IllegalArgumentException("metric " + name + " is declared twice, differently");
        }
        return f;
    }

    /**
     * The metrics one configuration load declares: counters and histograms go straight into the registry, gauge
     * samples are kept until the load starts serving ({@link #start}) and withdrawn when it stops.
     */
    public final class Load implements Metrics, HttpInit.Lifecycle {

        private final Map<MetricFamily, Map<List<String>, DoubleSupplier>> gauges = new LinkedHashMap<>();

        private Load() {
        }

        @Override
        public Family<Counter> counter(String name, String help, String... labelNames) {
            MetricFamily f = family(name, help, MetricFamily.Type.COUNTER, labelNames, null);
            return values -> (Counter) f.series(values);
        }

        @Override
        public Family<Histogram> histogram(String name, String help, double[] upperBounds, String... labelNames) {
            MetricFamily f = family(name, help, MetricFamily.Type.HISTOGRAM, labelNames, upperBounds);
            return values -> (Histogram) f.series(values);
        }

        @Override
        public Gauges gauge(String name, String help, String... labelNames) {
            MetricFamily f = family(name, help, MetricFamily.Type.GAUGE, labelNames, null);
            Map<List<String>, DoubleSupplier> samples = gauges.computeIfAbsent(f, k -> new HashMap<>());
            return (value, labelValues) -> samples.put(f.key(labelValues), value);
        }

        @Override
        public ConnectionCounts connections() {
            return connections;
        }

        @Override
        public List<MetricFamily> families() {
            return MetricRegistry.this.families();
        }

        @Override
        public void start() {
            gauges.forEach((f, samples) -> f.publish(this, samples));
        }

        @Override
        public void stop() {
            gauges.keySet().forEach(f -> f.retract(this));
        }
    }
}
