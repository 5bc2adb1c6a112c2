package io.jwtgate.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FlatHttpHeaders} against Netty's {@code DefaultHttpHeaders}: the same operations, the same answers. */
class FlatHttpHeadersTest {

    private static final CharSequence[] NAMES = {"Connection", "connection", AsciiString.cached("CONNECTION"),
        HttpHeaderNames.CONTENT_LENGTH, "Content-Length", "X-Dup", AsciiString.cached("x-dup"), "Host",
        HttpHeaderNames.TRANSFER_ENCODING, "Date"};
    private static final Object[] VALUES = {"close", "keep-alive, Close", "chunked", "gzip, chunked", "12", "07", "1e3",
        "x", "", "x,close", "close,", "Close ,keep-alive", ",", "a,,CHUNKED", "Thu, 01 Jan 2026 00:00:00 GMT", 42,
        new Date(0), AsciiString.cached("close")};

    private static List<String> pairs(HttpHeaders h) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : h) {
            out.add(e.getKey() + ": " + e.getValue());
        }
        List<String> viaChars = new ArrayList<>();
        for (var it = h.iteratorCharSequence(); it.hasNext();) {
            var e = it.next();
            viaChars.add(e.getKey() + ": " + e.getValue());
        }
        assertThat(viaChars).isEqualTo(out);
        return out;
    }

    /** Everything a caller can ask, as one comparable list. */
    private static List<Object> observe(HttpHeaders h) {
        List<Object> seen = new ArrayList<>();
        seen.add(pairs(h));
        seen.add(h.size());
        seen.add(h.isEmpty());
        // Netty's names() can hold one name twice when it came as a String and as an AsciiString; as a set, the same
        seen.add(new ArrayList<>(new LinkedHashSet<>(h.names())));
        List<String> entries = new ArrayList<>();
        for (Map.Entry<String, String> e : h.entries()) {
            entries.add(e.getKey() + "=" + e.getValue());
        }
        seen.add(entries);
        for (CharSequence n : NAMES) {
            seen.add(h.get(n));
            seen.add(h.get(n.toString()));
            seen.add(h.getAll(n));
            seen.add(h.contains(n));
            seen.add(h.getInt(n));
            seen.add(timeMillis(h, n));
            seen.add(h.containsValue(n, "close", true));
            seen.add(h.containsValue(n, "chunked", false));
            seen.add(h.contains(n.toString(), "close", true));
        }
        return seen;
    }

    /** Netty's headers throw (a ParseException, undeclared) for a value that is not a date; ours answer null. */
    private static Long timeMillis(HttpHeaders h, CharSequence name) {
        try {
            return h.getTimeMillis(name);
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void randomOperationsGiveTheSameAnswersAsNettysHeaders() {
        Random r = new Random(20261128);
        for (int run = 0; run < 500; run++) {
            HttpHeaders flat = FlatHttpHeaders.VALIDATING.newHeaders();
            HttpHeaders netty = DefaultHttpHeadersFactory.headersFactory().newHeaders();
            for (int op = 0; op < 30; op++) {
                CharSequence name = NAMES[r.nextInt(NAMES.length)];
                Object value = VALUES[r.nextInt(VALUES.length)];
                switch (r.nextInt(9)) {
                    case 0, 1, 2 -> {
                        flat.add(name, value);
                        netty.add(name, value);
                    }
                    case 3 -> {
                        flat.set(name, value);
                        netty.set(name, value);
                    }
                    case 4 -> {
                        flat.remove(name);
                        netty.remove(name);
                    }
                    case 5 -> {
                        flat.add(name.toString(), List.of(value, "second"));
                        netty.add(name.toString(), List.of(value, "second"));
                    }
                    case 6 -> {
                        flat.setInt(name, op);
                        netty.setInt(name, op);
                    }
                    case 7 -> {
                        flat.set(name.toString(), List.of(value));
                        netty.set(name.toString(), List.of(value));
                    }
                    default -> {
                        if (r.nextInt(10) == 0) {
                            flat.clear();
                            netty.clear();
                        }
                    }
                }
                assertThat(observe(flat)).as("run %d op %d", run, op).isEqualTo(observe(netty));
            }
        }
    }

    @Test
    void headersCanBeWalkedByIndexInArrivalOrder() {
        FlatHttpHeaders h = (FlatHttpHeaders) FlatHttpHeaders.VALIDATING.newHeaders();
        h.add("Host", "a").add("X-Dup", "1").add("x-dup", "2").remove("HOST");
        assertThat(h.size()).isEqualTo(2);
        assertThat(List.of(h.name(0), h.value(0), h.name(1), h.value(1))).map(Object::toString)
                .containsExactly("X-Dup", "1", "x-dup", "2");
        assertThat(catchThrowable(() -> h.name(2))).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** Rewriting values while walking, in both iterators; removing through them is refused by both kinds alike. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void valuesRewrittenThroughTheIteratorAsInNettysHeaders(boolean asStrings) {
        Random r = new Random(7);
        for (int run = 0; run < 300; run++) {
            HttpHeaders flat = FlatHttpHeaders.VALIDATING.newHeaders();
            HttpHeaders netty = DefaultHttpHeadersFactory.headersFactory().newHeaders();
            for (int i = r.nextInt(8); i > 0; i--) {
                CharSequence name = NAMES[r.nextInt(NAMES.length)];
                Object value = VALUES[r.nextInt(VALUES.length)];
                flat.add(name, value);
                netty.add(name, value);
            }
            long seed = r.nextLong();
            List<String> seenFlat = rewrite(flat, new Random(seed), asStrings);
            List<String> seenNetty = rewrite(netty, new Random(seed), asStrings);
            assertThat(seenFlat).isEqualTo(seenNetty);
            assertThat(observe(flat)).as("run %d", run).isEqualTo(observe(netty));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<String> rewrite(HttpHeaders h, Random r, boolean asStrings) {
        List<String> seen = new ArrayList<>();
        Iterator<? extends Map.Entry> it = asStrings ? h.iterator() : h.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry e = it.next();
            seen.add(e.getKey() + ": " + e.getValue());
            if (r.nextBoolean()) {
                seen.add("was " + e.setValue("v" + seen.size()));
            }
            Throwable refused = catchThrowable(it::remove);
            seen.add(refused.getClass().getSimpleName() + " " + refused.getMessage());
        }
        return seen;
    }

    @Test
    void anIteratorEntryIsOnlyThereAfterNextAndTakesOnlyValidValues() {
        Iterator<Map.Entry<String, String>> it = FlatHttpHeaders.VALIDATING.newHeaders().add("A", "1").iterator();
        assertThat(catchThrowable(() -> ((Map.Entry<?, ?>) it).getKey())).isInstanceOf(IllegalStateException.class);
        Map.Entry<String, String> e = it.next();
        assertThat(catchThrowable(() -> e.setValue("a\nb"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> e.setValue(null))).isInstanceOf(NullPointerException.class);
        assertThat(e.getValue()).isEqualTo("1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad name", "", "a:b", "x\u0001"})
    void aNameNettyRefusesIsRefusedTheSameWay(String name) {
        Throwable flat = catchThrowable(() -> FlatHttpHeaders.VALIDATING.newHeaders().add(name, "v"));
        Throwable netty = catchThrowable(() -> DefaultHttpHeadersFactory.headersFactory().newHeaders().add(name, "v"));
        assertThat(netty).isNotNull();
        assertThat(flat).isInstanceOf(netty.getClass());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\u0000b", " leading"})
    void aValueNettyRefusesIsRefusedTheSameWay(String value) {
        Throwable flat = catchThrowable(() -> FlatHttpHeaders.VALIDATING.newHeaders().add("X-A", value));
        Throwable netty =
                catchThrowable(() -> DefaultHttpHeadersFactory.headersFactory().newHeaders().add("X-A", value));
        assertThat(netty).isNotNull();
        assertThat(flat).isInstanceOf(netty.getClass());
        assertThat(FlatHttpHeaders.NOT_VALIDATING.newHeaders().add("X-A", value).get("x-a")).isEqualTo(value);
    }

    @Test
    void nullNamesAndValuesAreRefused() {
        HttpHeaders h = FlatHttpHeaders.NOT_VALIDATING.newHeaders();
        assertThat(catchThrowable(() -> h.add((String) null, "v"))).isInstanceOf(NullPointerException.class);
        assertThat(catchThrowable(() -> h.add("X-A", (Object) null))).isInstanceOf(NullPointerException.class);
        assertThat(h.isEmpty()).isTrue();
    }
}
