package io.jwtgate.jose;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable set of verification keys from one source, indexed by {@code kid} so that key
 * selection costs a map lookup, not a scan.
 */
public final class KeySet {

    private static final KeySet EMPTY = new KeySet(List.of());

    private final List<Jwk> keys;
    private final Map<String, List<Jwk>> byKid;
    private final List<Jwk> unlabelled;

    private KeySet(List<Jwk> keys) {
        this.keys = List.copyOf(keys);
        Map<String, List<Jwk>> map = new HashMap<>();
        List<Jwk> none = new ArrayList<>();
        for (Jwk k : this.keys) {
            if (k.kid() == null) {
                none.add(k);
            } else {
                map.computeIfAbsent(k.kid(), x -> new ArrayList<>()).add(k);
            }
        }
        Map<String, List<Jwk>> frozen = new HashMap<>();
        map.forEach((kid, list) -> frozen.put(kid, List.copyOf(list)));
        this.byKid = Collections.unmodifiableMap(frozen);
        this.unlabelled = List.copyOf(none);
    }

    /** A key set holding {@code keys} in order. */
    public static KeySet of(List<Jwk> keys) {
        return keys.isEmpty() ? EMPTY : new KeySet(keys);
    }

    /** The empty key set. */
    public static KeySet empty() {
        return EMPTY;
    }

    /** All keys, in document order. */
    public List<Jwk> keys() {
        return keys;
    }

    /** Number of keys. */
    public int size() {
        return keys.size();
    }

    /** True if there is no key. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Keys labelled exactly {@code kid} (byte-for-byte), possibly empty. */
    public List<Jwk> withKid(String kid) {
        List<Jwk> l = byKid.get(kid);
        return l == null ? List.of() : l;
    }

    /** Keys without a {@code kid}. */
    public List<Jwk> withoutKid() {
        return unlabelled;
    }

    @Override
    public String toString() {
        return "KeySet" + keys;
    }
}
