package io.jwtgate.jose;

import java.util.List;

/**
 * Outcome of parsing a key source: either a non-empty {@link KeySet} or an error message, plus
 * warnings about keys that were skipped or are weak. Messages name keys by index and kid, never by
 * material.
 */
public final class KeySetResult {

    private final KeySet keySet;
    private final String error;
    private final List<String> warnings;

    private KeySetResult(KeySet keySet, String error, List<String> warnings) {
        this.keySet = keySet;
        this.error = error;
        this.warnings = List.copyOf(warnings);
    }

    static KeySetResult ok(KeySet keys, List<String> warnings) {
        return new KeySetResult(keys, null, warnings);
    }

    static KeySetResult error(String error, List<String> warnings) {
        return new KeySetResult(null, error, warnings);
    }

    /** True if a usable key set was produced. */
    public boolean isOk() {
        return keySet != null;
    }

    /** The keys; {@code null} when {@link #isOk()} is false. */
    public KeySet keySet() {
        return keySet;
    }

    /** Why the source is unusable; {@code null} when {@link #isOk()}. */
    public String error() {
        return error;
    }

    /** Skipped keys and weak-key notices, for the log. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return isOk() ? "KeySetResult[ok " + keySet.size() + " keys, warnings=" + warnings + "]"
                : "KeySetResult[error=" + error + ", warnings=" + warnings + "]";
    }
}
