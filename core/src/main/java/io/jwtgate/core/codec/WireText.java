package io.jwtgate.core.codec;

/**
 * The two forms header text takes. On the wire, and in Netty's header maps, a value is bytes, one {@code char} per
 * byte (ISO-8859-1). Variables, the configuration and claims are text. A header read into a variable is decoded as
 * UTF-8; a value written into a header is encoded as UTF-8, as nginx copies the UTF-8 bytes of its configuration
 * and of a token's claims. A byte that is not part of valid UTF-8 becomes the lone surrogate {@code U+DC80-U+DCFF}
 * (Python's "surrogateescape") and turns back into the same byte, so no input is lost or changed on its way
 * through. ASCII, nearly every header, is returned as it is, without a copy.
 */
public final class WireText {

    private WireText() {
    }

    /** Text from header bytes ({@code chars} 0-255). */
    public static String decode(String bytes) {
        if (bytes == null || isAscii(bytes)) {
            return bytes;
        }
        int n = bytes.length();
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            int b = bytes.charAt(i) & 0xff;
            int len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3
                    : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
            int cp = len == 1 ? b : len == 2 ? b & 0x1f : len == 3 ? b & 0x0f : b & 0x07;
            boolean ok = len > 0 && i + len <= n;
            for (int k = 1; ok && k < len; k++) {
                int c = bytes.charAt(i + k);
                ok = (c & 0xc0) == 0x80;
                cp = cp << 6 | c & 0x3f;
            }
            // reject overlong forms, surrogates and code points above U+10FFFF, as a strict UTF-8 decoder does
            ok = ok && !(len == 3 && (cp < 0x800 || cp >= 0xd800 && cp <= 0xdfff)) && !(len == 4
                    && (cp < 0x10000 || cp > 0x10ffff));
            if (ok) {
                sb.appendCodePoint(cp);
                i += len;
            } else {
                sb.append((char) (0xdc00 | b));
                i++;
            }
        }
        return sb.toString();
    }

    /** Header bytes ({@code chars} 0-255) for text: its UTF-8, with escaped bytes restored. */
    public static String encode(String text) {
        if (text == null || isAscii(text)) {
            return text;
        }
        int n = text.length();
        StringBuilder sb = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                sb.append(c);
            } else if (c >= 0xdc80 && c <= 0xdcff) {
                sb.append((char) (c & 0xff)); // an escaped byte
            } else if (c < 0x800) {
                sb.append((char) (0xc0 | c >> 6)).append((char) (0x80 | c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                sb.append((char) (0xf0 | cp >> 18)).append((char) (0x80 | cp >> 12 & 0x3f))
                        .append((char) (0x80 | cp >> 6 & 0x3f)).append((char) (0x80 | cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                sb.append('?'); // half a pair: no UTF-8 for it
            } else {
                sb.append((char) (0xe0 | c >> 12)).append((char) (0x80 | c >> 6 & 0x3f))
                        .append((char) (0x80 | c & 0x3f));
            }
        }
        return sb.toString();
    }

    /**
     * Text standing for binary data such as {@code $binary_remote_addr}: one {@code char} per byte, an ASCII byte as
     * itself and any other as its escape, so that {@link #encode} gives the bytes back, the access log escapes them
     * as nginx does ({@code \x7F}) and the text is as long as the data (a limit zone counts 4 or 16).
     */
    public static String ofBytes(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            chars[i] = b < 0x80 ? (char) b : (char) (0xdc00 | b);
        }
        return new String(chars);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
