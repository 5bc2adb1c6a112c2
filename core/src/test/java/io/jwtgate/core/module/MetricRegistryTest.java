package io.jwtgate.core.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** What modules get from {@link Metrics}: series that outlive reloads, gauges that follow the configuration. */
class MetricRegistryTest {

    @Test
    void aReloadGetsTheSameSeriesBack() {
        MetricRegistry registry = new MetricRegistry();
        Counter first = registry.newLoad().counter("x_total", "help", "a").labels("1");
        first.add(5);
        Counter again = registry.newLoad().counter("x_total", "help", "a").labels("1");
        assertThat(again).isSameAs(first);
        again.inc();
        assertThat(first.value()).isEqualTo(6);
        assertThat(registry.newLoad().counter("x_total", "help", "a").labels("2")).isNotSameAs(first);
    }

    @Test
    void gaugesShowTheConfigurationBeingServed() {
        MetricRegistry registry = new MetricRegistry();
        MetricRegistry.Load old = registry.newLoad();
        old.gauge("g", "help", "loc").sample(() -> 1, "/a");
        MetricRegistry.Load next = registry.newLoad();
        next.gauge("g", "help", "loc").sample(() -> 2, "/b");
        assertThat(samples(registry)).isEmpty(); // a load that never serves (-t, a failed reload) shows nothing
        old.start();
        assertThat(samples(registry)).containsExactly("[/a]=1.0");
        next.start(); // the server starts the new configuration, then stops the old one
        old.stop();
        assertThat(samples(registry)).containsExactly("[/b]=2.0");
        next.stop();
        assertThat(samples(registry)).isEmpty();
    }

    @Test
    void histogramBucketsByUpperBound() {
        Histogram h = new MetricRegistry().newLoad().histogram("h", "help", new double[] {1, 2}).labels();
        h.observe(0.5);
        h.observe(1);
        h.observe(1.5);
        h.observe(9);
        assertThat(h.bucketCounts()).containsExactly(2, 1, 1);
        assertThat(h.sum()).isEqualTo(12);
    }

    @Test
    void mistakesAreProgrammingErrors() {
        Metrics m = new MetricRegistry().newLoad();
        assertThatThrownBy(() -> m.counter("x", "help")).hasMessageContaining("invalid metric name x");
        assertThatThrownBy(() -> m.counter("x-y_total", "help")).hasMessageContaining("invalid metric name");
        assertThatThrownBy(() -> m.gauge("g", "help", "le")).hasMessageContaining("invalid label name le");
        m.counter("c_total", "help", "a");
        assertThatThrownBy(() -> m.counter("c_total", "help", "b")).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> m.counter("c_total", "help", "a").labels("1", "2"))
                .hasMessageContaining("got 2 values");
        assertThatThrownBy(() -> m.histogram("h", "help", new double[] {2, 1}))
                .hasMessageContaining("not ascending");
    }

    private static List<String> samples(MetricRegistry registry) {
        List<String> out = new ArrayList<>();
        for (MetricFamily f : registry.families()) {
            f.forEach((labels, value) -> out.add(labels + "=" + ((DoubleSupplier) value)
                    .getAsDouble()));
        }
        return out;
    }
}
