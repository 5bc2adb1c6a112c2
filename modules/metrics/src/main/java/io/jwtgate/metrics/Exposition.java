package io.jwtgate.metrics;

import io.jwtgate.core.module.ConnectionCounts;
import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.Histogram;
import io.jwtgate.core.module.MetricFamily;
import io.jwtgate.core.module.Metrics;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * One configuration's exposition: the families modules declared ({@link Metrics#families}), the connection counts and
 * the Prometheus client's JVM and process collectors, as Prometheus client snapshots written by that client's text
 * writers (docs/operations.md#metrics). Reading the counts is the only work done here per scrape; the JVM collectors
 * read {@code /proc}, so a scrape runs off the event loop.
 */
final class Exposition {

    private static final ExpositionFormatWriter TEXT = PrometheusTextFormatWriter.create();
    private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();

    private final Metrics metrics;
    private final PrometheusRegistry jvm = new PrometheusRegistry();

    Exposition(Metrics metrics) {
        this.metrics = metrics;
        JvmThreadsMetrics.builder().register(jvm);
        JvmMemoryMetrics.builder().register(jvm);
        JvmGarbageCollectorMetrics.builder().register(jvm);
        JvmBufferPoolMetrics.builder().register(jvm);
        JvmClassLoadingMetrics.builder().register(jvm);
        JvmRuntimeInfoMetric.builder().register(jvm);
        ProcessMetrics.builder().register(jvm);
    }

    /** A scrape's body and its type. */
    record Page(String contentType, byte[] body) {
    }

    /** The exposition in OpenMetrics when {@code accept} asks for it, else in Prometheus's text format. */
    Page write(String accept) {
        ExpositionFormatWriter writer = accept != null && OPEN_METRICS.accepts(accept) ? OPEN_METRICS : TEXT;
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, snapshots());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return new Page(writer.getContentType(), out.toByteArray());
    }

    MetricSnapshots snapshots() {
        List<MetricSnapshot> all = new ArrayList<>();
        for (MetricFamily f : metrics.families()) {
            MetricSnapshot s = snapshot(f);
            if (s != null) {
                all.add(s);
            }
        }
        ConnectionCounts c = metrics.connections();
        all.add(connections(c));
        all.add(counter("jwtgate_connections_accepted", "Client connections accepted", c.accepts()));
        all.add(counter("jwtgate_connections_handled",
                "Client connections handled (accepted and not refused for want of worker_connections)", c.handled()));
        jvm.scrape().forEach(all::add);
        return new MetricSnapshots(all);
    }

    private static MetricSnapshot snapshot(MetricFamily f) {
        String[] names = f.labelNames().toArray(new String[0]);
        switch (f.type()) {
            case COUNTER: {
                List<CounterSnapshot.CounterDataPointSnapshot> points = new ArrayList<>();
                f.forEach((values, series) -> points.add(new CounterSnapshot.CounterDataPointSnapshot(
                        ((Counter) series).value(), labels(names, values), null, 0L)));
                // the client's model names a counter without its _total, which the writers add
                String base = f.name().substring(0, f.name().length() - "_total".length());
                return new CounterSnapshot(new MetricMetadata(base, f.help()), points);
            }
            case HISTOGRAM: {
                List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
                f.forEach((values, series) -> points.add(histogram((Histogram) series, labels(names, values))));
                return new HistogramSnapshot(new MetricMetadata(f.name(), f.help()), points);
            }
            case GAUGE: {
                List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>();
                f.forEach((values, series) -> points.add(new GaugeSnapshot.GaugeDataPointSnapshot(
                        ((DoubleSupplier) series).getAsDouble(), labels(names, values), null)));
                return points.isEmpty() ? null : new GaugeSnapshot(new MetricMetadata(f.name(), f.help()), points);
            }
            default:
                throw new IllegalStateException(f.type().toString());
        }
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot histogram(Histogram h, Labels labels) {
        double[] bounds = h.upperBounds();
        double[] all = new double[bounds.length + 1];
        System.arraycopy(bounds, 0, all, 0, bounds.length);
        all[bounds.length] = Double.POSITIVE_INFINITY;
        return new HistogramSnapshot.HistogramDataPointSnapshot(ClassicHistogramBuckets.of(all, h.bucketCounts()),
                h.sum(), labels, null, 0L);
    }

    private static Labels labels(String[] names, List<String> values) {
        return Labels.of(names, values.toArray(new String[0]));
    }

    /** nginx's stub_status numbers as metrics. */
    private static MetricSnapshot connections(ConnectionCounts c) {
        List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>();
        points.add(state("active", c.active()));
        points.add(state("reading", c.count(ConnectionCounts.State.READING)));
        points.add(state("writing", c.count(ConnectionCounts.State.WRITING)));
        points.add(state("waiting", c.count(ConnectionCounts.State.WAITING)));
        return new GaugeSnapshot(new MetricMetadata("jwtgate_connections",
                "Client connections by state, as stub_status counts them (active is all of them)"), points);
    }

    private static MetricSnapshot counter(String base, String help, long value) {
        return new CounterSnapshot(new MetricMetadata(base, help),
                List.of(new CounterSnapshot.CounterDataPointSnapshot(value, Labels.EMPTY, null, 0L)));
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot state(String state, long value) {
        return new GaugeSnapshot.GaugeDataPointSnapshot(value, Labels.of("state", state), null);
    }
}
