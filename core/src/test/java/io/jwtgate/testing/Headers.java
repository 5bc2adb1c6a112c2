package io.jwtgate.testing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An immutable, ordered HTTP header multi-map: names keep the case they were sent with, lookups ignore case.
 */
public final class Headers {

    private static final Headers EMPTY = new Headers(List.of());

    private final List<Map.Entry<String, String>> entries;

    private Headers(List<Map.Entry<String, String>> entries) {
        this.entries = entries;
    }

    /** Returns headers with no entries. */
    public static Headers empty() {
        return EMPTY;
    }

    /** Returns headers holding a copy of {@code entries}, in order. */
    public static Headers of(List<Map.Entry<String, String>> entries) {
        requireNonNull(entries, "entries");
        List<Map.Entry<String, String>> copy = new ArrayList<>(entries.size());
        for (Map.Entry<String, String> e : entries) {
            copy.add(Map.entry(e.getKey(), e.getValue()));
        }
        return copy.isEmpty() ? EMPTY : new Headers(Collections.unmodifiableList(copy));
    }

    /** Returns the first value of {@code name} (any case), or {@code null} if absent. */
    public String first(String name) {
        requireNonNull(name, "name");
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Returns every value of {@code name} (any case) in order; empty if absent. */
    public List<String> all(String name) {
        requireNonNull(name, "name");
        List<String> values = new ArrayList<>(2);
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equalsIgnoreCase(name)) {
                values.add(e.getValue());
            }
        }
        return Collections.unmodifiableList(values);
    }

    /** Returns whether {@code name} (any case) is present. */
    public boolean contains(String name) {
        return first(name) != null;
    }

    /** Returns the entries in the order received, names in their original case. */
    public List<Map.Entry<String, String>> entries() {
        return entries;
    }

    /** Returns the number of header lines. */
    public int size() {
        return entries.size();
    }

    /**
     * Returns the values grouped by name, ignoring case; each group is keyed by the case of its first occurrence and
     * the groups are in order of first occurrence.
     */
    public Map<String, List<String>> asMap() {
        Map<String, String> firstSpelling = new LinkedHashMap<>();
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries) {
            String key = firstSpelling.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> e.getKey());
            grouped.computeIfAbsent(key, k -> new ArrayList<>(2)).add(e.getValue());
        }
        return Collections.unmodifiableMap(grouped);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : entries) {
            sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }
}
