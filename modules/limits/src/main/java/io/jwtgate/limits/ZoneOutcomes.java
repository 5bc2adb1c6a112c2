package io.jwtgate.limits;

import io.jwtgate.core.module.Counter;
import io.jwtgate.core.module.Metrics;
import java.util.Locale;

/**
 * What one zone decided, counted by outcome (docs/operations.md#metrics): a series per outcome of the family, for
 * the zone, resolved when the configuration is loaded; counting is one increment.
 */
public final class ZoneOutcomes {

    private final Counter[] byOutcome;

    /** {@code outcomes} name the outcomes by index, as the module's status variable spells them. */
    public ZoneOutcomes(Metrics.Family<Counter> family, String zone, String... outcomes) {
        byOutcome = new Counter[outcomes.length];
        for (int i = 0; i < outcomes.length; i++) {
            byOutcome[i] = family.labels(zone, outcomes[i].toLowerCase(Locale.ROOT));
        }
    }

    public void count(int outcome) {
        byOutcome[outcome].inc();
    }
}
