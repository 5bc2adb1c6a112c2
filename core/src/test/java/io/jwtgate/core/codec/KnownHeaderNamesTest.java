package io.jwtgate.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnownHeaderNamesTest {

    /** The name as it sits in a decoder's line buffer: somewhere in the middle of a larger array. */
    private static AsciiString decode(String name) {
        byte[] line = ("xx" + name + ": value").getBytes(StandardCharsets.ISO_8859_1);
        return KnownHeaderNames.name(line, 2, name.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "host", "Authorization", "authorization", "User-Agent", "Content-Length",
        "content-length", "Server", "Date", "X-Forwarded-For", "x-forwarded-for", "TE", "te", "X-Accel-Expires"})
    void aKnownNameSpelledAsInTheTableIsShared(String name) {
        AsciiString first = decode(name);
        assertThat(first.toString()).isEqualTo(name);
        assertThat((Object) decode(name)).isSameAs(first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HOST", "hOST", "Content-length", "x-Forwarded-For", "X-Custom", "Hos", "Hosts", "T",
        "Authorizatio", "Authorizationx"})
    void anyOtherSpellingOrNameIsCopiedAsItCame(String name) {
        byte[] line = ("xx" + name + ": value").getBytes(StandardCharsets.ISO_8859_1);
        assertThat((Object) KnownHeaderNames.find(line, 2, name.length())).isNull();
        AsciiString copy = KnownHeaderNames.name(line, 2, name.length());
        assertThat(copy.toString()).isEqualTo(name);
        line[2] = 'Z'; // the copy does not share the decoder's buffer, which is reused for the next line
        assertThat(copy.toString()).isEqualTo(name);
    }

    @Test
    void bytesOutsideAsciiAndEmptyNamesAreNotLookedUpWrongly() {
        byte[] utf8 = "Höst".getBytes(StandardCharsets.UTF_8);
        assertThat((Object) KnownHeaderNames.find(utf8, 0, utf8.length)).isNull();
        assertThat(KnownHeaderNames.name(utf8, 0, utf8.length).array()).containsExactly(utf8);
        assertThat((Object) KnownHeaderNames.find(utf8, 0, 0)).isNull();
    }
}
