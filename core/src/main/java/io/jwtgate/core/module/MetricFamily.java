package io.jwtgate.core.module;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * One metric family of the process: its name, type, help and label names, and its series. Counters and histograms
 * keep their series for the process's life; a gauge shows the samples of the configuration load that published them
 * last ({@link MetricRegistry}).
 */
public final class MetricFamily {

    /** The kinds of families. */
    public enum Type {
        COUNTER, GAUGE, HISTOGRAM
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final String name;
    private final String help;
    private final Type type;
    private final List<String> labelNames;
    private final double[] upperBounds;
    private final Map<List<String>, Object> series = new ConcurrentHashMap<>();
    /** A gauge's samples and the load that published them. */
    private volatile Map<List<String>, DoubleSupplier> samples = Map.of();
    private volatile Object publisher;

    MetricFamily(String name, String help, Type type, List<String> labelNames, double[] upperBounds) {
        if (!NAME.matcher(name).matches() || type == Type.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("invalid metric name " + name);
        }
        for (String label : labelNames) {
            if (!LABEL.matcher(label).matches() || label.startsWith("__") || label.equals("le")) {
                throw new IllegalArgumentException("invalid label name " + label + " of " + name);
            }
        }
        for (int i = 1; upperBounds != null && i < upperBounds.length; i++) {
            if (!(upperBounds[i] > upperBounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds of " + name + " are not ascending");
            }
        }
        this.name = name;
        this.help = help;
        this.type = type;
        this.labelNames = labelNames;
        this.upperBounds = upperBounds;
    }

    /** Whether a declaration matches this family. */
    boolean sameAs(String help, Type type, List<String> labelNames, double[] upperBounds) {
        return this.help.equals(help) && this.type == type && this.labelNames.equals(labelNames)
                && Arrays.equals(this.upperBounds, upperBounds);
    }

    public String name() {
        return name;
    }

    public String help() {
        return help;
    }

    public Type type() {
        return type;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** A histogram's bucket upper bounds, {@code +Inf} left out; {@code null} for other types. */
    public double[] upperBounds() {
        return upperBounds == null ? null : upperBounds.clone();
    }

    /**
     * Each series with its label values: a {@link Counter}, a {@link Histogram}, or a gauge's {@link DoubleSupplier}.
     */
    public void forEach(BiConsumer<List<String>, Object> action) {
        if (type == Type.GAUGE) {
            samples.forEach(action);
        } else {
            series.forEach(action);
        }
    }

    Object series(String[] values) {
        List<String> key = key(values);
        return series.computeIfAbsent(key, k -> type == Type.COUNTER ? new Counter() : new Histogram(upperBounds));
    }

    List<String> key(String[] values) {
        if (values.length != labelNames.size()) {
            throw new IllegalArgumentException(name + " has labels " + labelNames + ", got " + values.length
                    + " values");
        }
        return List.of(values);
    }

    void publish(Object load, Map<List<String>, DoubleSupplier> loadSamples) {
        samples = Map.copyOf(loadSamples);
        publisher = load;
    }

    void retract(Object load) {
        if (publisher == load) {
            samples = Map.of();
            publisher = null;
        }
    }
}
