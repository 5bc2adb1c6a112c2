package io.jwtgate.core.codec;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.DefaultHeaders.NameValidator;
import io.netty.handler.codec.DefaultHeaders.ValueValidator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The headers of a decoded request or upstream response: one array of name/value pairs in arrival order. Netty's
 * {@code DefaultHttpHeaders} is a hash table, with a bucket array and a head entry per object and a four-link entry
 * per header; a head carries a handful of headers and is read a few times by name, which a scan does as fast, and
 * those objects were a quarter of the bytes a proxied request allocated. Names compare ignoring ASCII case, as
 * Netty's do. Validation, when on, is Netty's own (the validators of {@link DefaultHttpHeadersFactory}), so a decoder
 * rejects exactly what it rejected with Netty's headers.
 *
 * <p>The entries handed out by {@link #iterator()} and {@link #iteratorCharSequence()} are the iterator itself,
 * moved on by each {@code next()}: read them (or set their value) as you go, as every caller here does; do not keep
 * them.
 */
public final class FlatHttpHeaders extends HttpHeaders {

    private static final NameValidator<CharSequence> NAMES =
            DefaultHttpHeadersFactory.headersFactory().getNameValidator();
    private static final ValueValidator<CharSequence> VALUES =
            DefaultHttpHeadersFactory.headersFactory().getValueValidator();

    /** For request heads: names and values checked as Netty's default headers check them. */
    public static final HttpHeadersFactory VALIDATING = new Factory(true);
    /** For upstream response heads, which jwtgate passes on as they came (nginx does not check them either). */
    public static final HttpHeadersFactory NOT_VALIDATING = new Factory(false);

    private final boolean validate;
    /** name0, value0, name1, value1, ...; the first {@code 2 * size} slots are in use. */
    private CharSequence[] pairs = new CharSequence[16];
    private int size;

    private FlatHttpHeaders(boolean validate) {
        this.validate = validate;
    }

    private static final class Factory implements HttpHeadersFactory {
        private final boolean validate;

        Factory(boolean validate) {
            this.validate = validate;
        }

        @Override
        public HttpHeaders newHeaders() {
            return new FlatHttpHeaders(validate);
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return new FlatHttpHeaders(validate);
        }
    }

    private static boolean sameName(CharSequence a, CharSequence b) {
        return a == b || AsciiString.contentEqualsIgnoreCase(a, b);
    }

    private int find(CharSequence name, int from) {
        for (int i = from; i < size; i++) {
            if (sameName(pairs[2 * i], name)) {
                return i;
            }
        }
        return -1;
    }

    // ---- reading

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        int i = find(name, 0);
        return i < 0 ? null : pairs[2 * i + 1].toString();
    }

    /** The value of {@code name} as {@code parse} reads it; {@code null} when absent or not readable, as Netty's. */
    private <T> T parsed(CharSequence name, Function<String, T> parse) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static <T> T orElse(T value, T otherwise) {
        return value != null ? value : otherwise;
    }

    @Override
    public Integer getInt(CharSequence name) {
        return parsed(name, Integer::valueOf);
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        return orElse(getInt(name), defaultValue);
    }

    @Override
    public Short getShort(CharSequence name) {
        return parsed(name, Short::valueOf);
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        return orElse(getShort(name), defaultValue);
    }

    /** {@code null} when absent or not an HTTP date (where Netty's headers throw an undeclared ParseException). */
    @Override
    public Long getTimeMillis(CharSequence name) {
        return parsed(name, v -> {
            Date d = DateFormatter.parseHttpDate(v);
            return d == null ? null : d.getTime();
        });
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        return orElse(getTimeMillis(name), defaultValue);
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        int i = find(name, 0);
        if (i < 0) {
            return Collections.emptyList();
        }
        int j = find(name, i + 1);
        if (j < 0) {
            return Collections.singletonList(pairs[2 * i + 1].toString());
        }
        List<String> all = new ArrayList<>(4);
        all.add(pairs[2 * i + 1].toString());
        for (; j >= 0; j = find(name, j + 1)) {
            all.add(pairs[2 * j + 1].toString());
        }
        return all;
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(Map.entry(pairs[2 * i].toString(), pairs[2 * i + 1].toString()));
        }
        return all;
    }

    /**
     * Whether a value of {@code name}, read as a comma-separated list with each item trimmed, holds {@code value}: the
     * answer of {@link HttpHeaders#containsValue}, without its list and iterators. {@code ignoreCase} folds ASCII
     * letters only, which for the ASCII tokens asked about ({@code close}, {@code chunked}) is the same answer.
     */
    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = find(name, 0); i >= 0; i = find(name, i + 1)) {
            if (HeaderValueList.holds(pairs[2 * i + 1], value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** The name of the {@code i}th header, {@code 0 <= i < size()}: for walking the headers without an iterator. */
    public CharSequence name(int i) {
        return pairs[2 * Objects.checkIndex(i, size)];
    }

    /** The value of the {@code i}th header, {@code 0 <= i < size()}. */
    public CharSequence value(int i) {
        return pairs[2 * Objects.checkIndex(i, size) + 1];
    }

    /** Replaces the value of the {@code i}th header, checked as {@link #add} checks values. */
    void replaceValue(int i, CharSequence value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        if (validate) {
            VALUES.validate(value);
        }
        pairs[2 * Objects.checkIndex(i, size) + 1] = value;
    }

    @Override
    public boolean contains(String name) {
        return find(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return find(name, 0) >= 0;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return new FlatHeadersCursor<String>(this, true);
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new FlatHeadersCursor<CharSequence>(this, false);
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            names.add(pairs[2 * i].toString()); // distinct as spelled, as Netty's are
        }
        return names;
    }

    // ---- writing

    private void append(CharSequence name, Object value) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (value == null) {
            throw new NullPointerException("value");
        }
        CharSequence v = value instanceof CharSequence cs ? cs
                : value instanceof Date d ? DateFormatter.format(d)
                : value instanceof Calendar c ? DateFormatter.format(c.getTime())
                : value.toString();
        if (validate) {
            NAMES.validateName(name);
            VALUES.validate(v);
        }
        if (2 * size == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[2 * size] = name;
        pairs[2 * size + 1] = v;
        size++;
    }

    @Override
    public HttpHeaders add(String name, Object value) {
        append(name, value);
        return this;
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        append(name, value);
        return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        for (Object v : values) {
            append(name, v);
        }
        return this;
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        append(name, Integer.toString(value));
        return this;
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        append(name, Short.toString(value));
        return this;
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        remove(name);
        append(name, value);
        return this;
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        return set((CharSequence) name, values);
    }

    @Override
    public HttpHeaders set(CharSequence name, Iterable<?> values) {
        remove(name);
        return add(name, values);
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        return set(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        return set(name, Short.toString(value));
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        int i = find(name, 0);
        if (i < 0) {
            return this;
        }
        int kept = i;
        for (int j = i + 1; j < size; j++) {
            if (!sameName(pairs[2 * j], name)) {
                pairs[2 * kept] = pairs[2 * j];
                pairs[2 * kept + 1] = pairs[2 * j + 1];
                kept++;
            }
        }
        Arrays.fill(pairs, 2 * kept, 2 * size, null);
        size = kept;
        return this;
    }

    /** Removes every pair {@code drop} answers true for, keeping the order of the others. */
    public void removeIf(BiPredicate<CharSequence, CharSequence> drop) {
        int kept = 0;
        for (int j = 0; j < size; j++) {
            if (!drop.test(pairs[2 * j], pairs[2 * j + 1])) {
                pairs[2 * kept] = pairs[2 * j];
                pairs[2 * kept + 1] = pairs[2 * j + 1];
                kept++;
            }
        }
        Arrays.fill(pairs, 2 * kept, 2 * size, null);
        size = kept;
    }

    @Override
    public HttpHeaders clear() {
        Arrays.fill(pairs, 0, 2 * size, null);
        size = 0;
        return this;
    }
}
