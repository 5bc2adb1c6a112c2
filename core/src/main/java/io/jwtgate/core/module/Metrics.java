package io.jwtgate.core.module;

import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Declaring metrics, from {@link HttpModule#postconfiguration} ({@link HttpInit#metrics}). Declare a family once per
 * configuration load and resolve its series to their label values there too ({@link Family#labels}); a handler keeps
 * the {@link Counter} or {@link Histogram} it got and only counts, which takes no lock and allocates nothing
 * (docs/operations.md#metrics).
 *
 * <p>Counters and histograms belong to the process: a reload that declares the same family and label values gets
 * the same series back, so counts go on across reloads. Gauges are read when the metrics are scraped, from the
 * configuration being served: the samples a load declares replace the previous load's when it starts serving.
 *
 * <p>Names follow Prometheus's: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, a counter's ending in {@code _total}; label names
 * {@code [a-zA-Z_][a-zA-Z0-9_]*}. Keep label values bounded (locations, zones, reason words), never a client's input.
 * Declaring a name again with another type, help or label names is a programming error.
 */
public interface Metrics {

    Family<Counter> counter(String name, String help, String... labelNames);

    /** A histogram with the given bucket upper bounds (ascending, {@code +Inf} implied). */
    Family<Histogram> histogram(String name, String help, double[] upperBounds, String... labelNames);

    /** A gauge family whose samples are read at each scrape. */
    Gauges gauge(String name, String help, String... labelNames);

    /** The process's client connection counts ({@code stub_status}). */
    ConnectionCounts connections();

    /** Every family declared so far, for an exposition. */
    List<MetricFamily> families();

    /** The series of one family by label values. */
    interface Family<T> {
        /** The series for these label values (as many as the family has label names), made on first use. */
        T labels(String... values);
    }

    /** The samples of one gauge family in this configuration. */
    interface Gauges {
        /** Adds the sample for these label values, read by {@code value} at each scrape (on the scraping thread). */
        void sample(DoubleSupplier value, String... labelValues);
    }
}
