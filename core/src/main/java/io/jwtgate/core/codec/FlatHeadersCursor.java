package io.jwtgate.core.codec;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Walks a {@link FlatHttpHeaders}' pairs; each {@code next()} returns the cursor itself, standing on the next pair
 * (the class javadoc of {@link FlatHttpHeaders} says how to use such entries).
 */
final class FlatHeadersCursor<T extends CharSequence> implements Iterator<Map.Entry<T, T>>, Map.Entry<T, T> {

    /** Whether names and values are handed out as {@code String}s (for {@link FlatHttpHeaders#iterator()}). */
    private final boolean strings;
    private final FlatHttpHeaders headers;
    private int next;
    private int at = -1;

    FlatHeadersCursor(FlatHttpHeaders headers, boolean strings) {
        this.headers = headers;
        this.strings = strings;
    }

    @Override
    public boolean hasNext() {
        return next < headers.size();
    }

    @Override
    public Map.Entry<T, T> next() {
        if (next >= headers.size()) {
            throw new NoSuchElementException();
        }
        at = next++;
        return this;
    }

    /** Read only, as the iterators of Netty's headers are (they support {@link #setValue}, not this). */
    @Override
    public void remove() {
        throw new UnsupportedOperationException("read only");
    }

    private void standing() {
        if (at < 0) {
            throw new IllegalStateException("next() first");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T getKey() {
        standing();
        CharSequence n = headers.name(at);
        return (T) (strings ? n.toString() : n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T getValue() {
        standing();
        CharSequence v = headers.value(at);
        return (T) (strings ? v.toString() : v);
    }

    /** Replaces the value of the pair {@link #next()} stood on, checked as the headers' {@code add} checks values. */
    @Override
    public T setValue(T value) {
        T old = getValue();
        headers.replaceValue(at, value);
        return old;
    }
}
