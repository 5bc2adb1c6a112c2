package io.jwtgate.core.http.route;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the path of a request target into nginx's {@code $uri}, as {@code ngx_http_parse_complex_uri} does:
 * {@code %XX} escapes are decoded, runs of slashes become one (unless {@code merge_slashes off}), {@code .} and
 * {@code ..} segments are resolved.
 *
 * <p>The input is the path as received on the wire, one {@code char} per byte (ISO-8859-1, which is how Netty's HTTP
 * decoder hands it over), without the query. The decoded bytes are read as UTF-8, so the result is a normal Java
 * string and compares directly with location patterns read from the (UTF-8) configuration.
 *
 * <p>Deviations from nginx, both only for paths nginx would accept but could not represent as text: bytes that are not
 * valid UTF-8 after decoding make the path invalid (nginx passes raw bytes through), and so do input chars above
 * {@code 0xFF}. A raw NUL is invalid too, as nginx's request line parser rejects it before this step.
 */
public final class UriNormalizer {

    private UriNormalizer() {
    }

    /**
     * The normalised path, or {@code null} when the request must be answered with 400: a bad {@code %} escape, a
     * decoded NUL, a {@code ..} above the root, a path not starting with {@code /}, or bytes that are not UTF-8. A path
     * with nothing to normalise is returned as the same instance.
     */
    public static String normalize(String path) {
        return normalize(path, true);
    }

    /** {@link #normalize(String)}, runs of slashes kept as they are without {@code mergeSlashes}. */
    public static String normalize(String path, boolean mergeSlashes) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        return isPlain(path) ? path : normalizeComplex(path, mergeSlashes);
    }

    /** True when nginx would not even call its complex parser: no escape, no "//", no "/.", nothing to decode. */
    private static boolean isPlain(String path) {
        int length = path.length();
        for (int i = 0; i < length; i++) {
            char ch = path.charAt(i);
            if (ch == '%' || ch == '?' || ch == '#' || ch == 0 || ch >= 0x80) {
                return false;
            }
            if (ch == '/' && i + 1 < length) {
                char next = path.charAt(i + 1);
                if (next == '/' || next == '.') {
                    return false;
                }
            }
        }
        return true;
    }

    private enum State { USUAL, SLASH, DOT, DOT_DOT }

    /**
     * The state machine of {@code ngx_http_parse_complex_uri}. A decoded byte is fed back through the state it was
     * found in (so {@code %2e%2e} is a {@code ..} and {@code %2F} a slash), except {@code %}, {@code #} and {@code ?},
     * which nginx keeps as plain characters.
     */
    private static String normalizeComplex(String path, boolean mergeSlashes) {
        byte[] out = new byte[path.length()];
        int u = 0;
        State state = State.USUAL;
        int length = path.length();
        int i = 0;
        while (i < length) {
            int ch = path.charAt(i++);
            if (ch > 0xFF || ch == 0) {
                return null;
            }
            boolean decoded = false;
            if (ch == '%') {
                if (i + 2 > length) {
                    return null;
                }
                int high = hex(path.charAt(i));
                int low = hex(path.charAt(i + 1));
                if (high < 0 || low < 0) {
                    return null;
                }
                i += 2;
                ch = (high << 4) | low;
                if (ch == 0) {
                    return null;
                }
                if (ch == '%' || ch == '#' || ch == '?') {
                    out[u++] = (byte) ch;
                    state = State.USUAL;
                    continue;
                }
                decoded = true;
            }
            if (!decoded && (ch == '?' || ch == '#')) {
                // the query or fragment starts: the path ends here
                break;
            }
            switch (state) {
                case USUAL -> {
                    if (ch == '/') {
                        state = State.SLASH;
                    }
                    out[u++] = (byte) ch;
                }
                case SLASH -> {
                    if (ch == '/') {
                        if (!mergeSlashes) {
                            out[u++] = (byte) ch;
                        }
                        continue;
                    }
                    state = ch == '.' ? State.DOT : State.USUAL;
                    out[u++] = (byte) ch;
                }
                case DOT -> {
                    if (ch == '/') {
                        u--; // drop "." and keep the slash before it
                        state = State.SLASH;
                    } else {
                        state = ch == '.' ? State.DOT_DOT : State.USUAL;
                        out[u++] = (byte) ch;
                    }
                }
                case DOT_DOT -> {
                    if (ch == '/') {
                        u = parentSegment(out, u);
                        if (u < 0) {
                            return null;
                        }
                        state = State.SLASH;
                    } else {
                        state = State.USUAL;
                        out[u++] = (byte) ch;
                    }
                }
                default -> throw new AssertionError(state);
            }
        }
        if (state == State.DOT) {
            u--;
        } else if (state == State.DOT_DOT) {
            u = parentSegment(out, u);
            if (u < 0) {
                return null;
            }
        }
        return utf8(out, u);
    }

    /**
     * Resolves a "/.." just written at {@code out[u-3, u)}: the output is cut back to just after the slash that starts
     * the previous segment. -1 when there is no previous segment (the ".." would climb above the root).
     */
    private static int parentSegment(byte[] out, int u) {
        int p = u - 4;
        while (p >= 0 && out[p] != '/') {
            p--;
        }
        return p < 0 ? -1 : p + 1;
    }

    private static int hex(char ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        char lower = (char) (ch | 0x20);
        if (lower >= 'a' && lower <= 'f') {
            return lower - 'a' + 10;
        }
        return -1;
    }

    private static String utf8(byte[] bytes, int length) {
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
