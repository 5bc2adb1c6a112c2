package io.jwtgate.core.module;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.http.LocSlot;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The generic setters every module uses for one-value directives (nginx's {@code ngx_conf_set_*_slot}): each parses
 * its value, rejects a second occurrence at the same level with {@code "x" directive is duplicate}, and stores the
 * value in the module's draft.
 */
public final class Setters {

    private Setters() {
    }

    /** {@code on}/{@code off}. */
    public static <D> DirectiveSetter flag(LocSlot<D, ?> slot, Function<D, Boolean> get, BiConsumer<D, Boolean> set) {
        return parsed(slot, get, set, ConfValues::flag, d -> d.error(
                "invalid value \"%s\" in \"%s\" directive, it must be \"on\" or \"off\"", d.arg(0), d.name()));
    }

    /** A time such as {@code 60s}, stored in milliseconds. */
    public static <D> DirectiveSetter millis(LocSlot<D, ?> slot, Function<D, Long> get, BiConsumer<D, Long> set) {
        return parsed(slot, get, set, v -> nonNegative(ConfValues.millis(v)), Setters::invalidValue);
    }

    /** A time such as {@code 30s} or {@code 1m}, stored in whole seconds. */
    public static <D> DirectiveSetter seconds(LocSlot<D, ?> slot, Function<D, Long> get, BiConsumer<D, Long> set) {
        return parsed(slot, get, set, v -> nonNegative(ConfValues.seconds(v)), Setters::invalidValue);
    }

    /** A size such as {@code 1m}, stored in bytes. */
    public static <D> DirectiveSetter bytes(LocSlot<D, ?> slot, Function<D, Long> get, BiConsumer<D, Long> set) {
        return parsed(slot, get, set, v -> nonNegative(ConfValues.bytes(v)), Setters::invalidValue);
    }

    /** A non-negative whole number. */
    public static <D> DirectiveSetter number(LocSlot<D, ?> slot, Function<D, Integer> get,
            BiConsumer<D, Integer> set) {
        return parsed(slot, get, set, v -> {
            int n = ConfValues.number(v);
            return n < 0 ? null : n;
        }, d -> d.error("\"%s\" directive invalid number", d.name()));
    }

    /** One of a fixed set of words (compared case-insensitively), stored as the mapped value. */
    public static <D, V> DirectiveSetter oneOf(LocSlot<D, ?> slot, Map<String, V> values, Function<D, V> get,
            BiConsumer<D, V> set) {
        return parsed(slot, get, set, v -> values.get(ConfValues.lower(v)), d -> d.error(
                "invalid value \"%s\" in \"%s\" directive, it must be one of %s", d.arg(0), d.name(),
                String.join(", ", values.keySet().stream().sorted().map(s -> "\"" + s + "\"").toList())));
    }

    /**
     * The one shape of every setter above: the draft of this level, the duplicate check, the argument parsed
     * ({@code null} when invalid, answered with {@code invalid}'s error), the value stored.
     */
    private static <D, V> DirectiveSetter parsed(LocSlot<D, ?> slot, Function<D, V> get, BiConsumer<D, V> set,
            Function<String, V> parse, Function<ConfDirective, ConfException> invalid) {
        return (cx, d) -> {
            D draft = cx.loc(slot);
            checkUnset(d, get.apply(draft));
            V v = parse.apply(d.arg(0));
            if (v == null) {
                throw invalid.apply(d);
            }
            set.accept(draft, v);
        };
    }

    private static Long nonNegative(long v) {
        return v < 0 ? null : v;
    }

    private static ConfException invalidValue(ConfDirective d) {
        return d.error("\"%s\" directive invalid value", d.name());
    }

    /** Parses a time argument of {@code d}, with nginx's error text. */
    public static long millis(ConfDirective d, String value) throws ConfException {
        long v = ConfValues.millis(value);
        if (v < 0) {
            throw invalidValue(d);
        }
        return v;
    }

    /** Rejects a directive set twice at one level. */
    public static void checkUnset(ConfDirective d, Object current) throws ConfException {
        if (current != null) {
            throw d.error("\"%s\" directive is duplicate", d.name());
        }
    }
}
