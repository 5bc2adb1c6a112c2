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
    private final boolean wellFormed;

    private KeySetResult(KeySet keySet, String error, List<String> warnings, boolean wellFormed) {
        this.keySet = keySet;
        this.error = error;
        this.warnings = List.copyOf(warnings);
        this.wellFormed = wellFormed;
    }

    static KeySetResult ok(KeySet keys, List<String> warnings) {
        return new KeySetResult(keys, null, warnings, true);
    }

    static KeySetResult error(String error, List<String> warnings) {
        return new KeySetResult(null, error, warnings, false);
    }

    /** A well-formed document in which no key is usable ({@code {"keys":[]}}, only skipped keys). */
    static KeySetResult noUsableKey(List<String> warnings) {
        return new KeySetResult(null, "no usable key", warnings, true);
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

    /**
     * True when the document itself was valid, even if no key in it is usable: the source answered, as opposed to a
     * document that is broken, oversized or of the wrong shape.
     */
    public boolean isWellFormed() {
        return wellFormed;
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
