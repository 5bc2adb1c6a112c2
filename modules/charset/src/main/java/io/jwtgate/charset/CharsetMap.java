package io.jwtgate.charset;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import java.util.Locale;

/**
 * One {@code charset_map from to { ... }} block, nginx's {@code ngx_http_charset_tables_t}: the tables that recode
 * a body from one charset to the other, both ways (docs/charset.md#charset_map). Between two one-byte charsets,
 * each line {@code XX YY;} maps byte {@code XX} of {@code from} to byte {@code YY} of {@code to}; bytes below 0x80
 * not mapped stay as they are, the others become {@code ?}. When {@code to} is {@code utf-8}, each line maps a byte
 * to the UTF-8 bytes of one character ({@code C0 D18E;}); an unmapped byte from 0x80 becomes {@code ?}.
 *
 * @param from the first charset, as written
 * @param to the second charset, as written
 * @param forward recodes {@code from} to {@code to}
 * @param backward recodes {@code to} to {@code from}
 */
record CharsetMap(String from, String to, Recoding forward, Recoding backward) {

    /** The longest character a line may give, in UTF-8 bytes (nginx's {@code NGX_UTF_LEN}). */
    private static final int UTF_LEN = 4;

    /** Reads the block of {@code d} ({@code charset_map from to}). */
    static CharsetMap parse(ConfDirective d) throws ConfException {
        String from = d.arg(0);
        String to = d.arg(1);
        if (from.equalsIgnoreCase(to)) {
            throw d.error("\"charset_map\" between the same charsets \"%s\" and \"%s\"", from, to);
        }
        if (isUtf8(from)) {
            // nginx reads such a block as one between one-byte charsets and recodes with it as if it were not
            throw d.error("\"charset_map\" from \"%s\" is not supported: write it as \"charset_map %s %s\"", from, to,
                    from);
        }
        return isUtf8(to) ? utf8(d, from, to) : oneByte(d, from, to);
    }

    static boolean isUtf8(String charset) {
        return charset.toLowerCase(Locale.ROOT).equals("utf-8");
    }

    /** Whether this map is between {@code a} and {@code b}, either way, names compared caselessly. */
    boolean joins(String a, String b) {
        return from.equalsIgnoreCase(a) && to.equalsIgnoreCase(b) || from.equalsIgnoreCase(b) && to.equalsIgnoreCase(a);
    }

    /** The recoding from {@code source} to the other charset of this map. */
    Recoding from(String source) {
        return from.equalsIgnoreCase(source) ? forward : backward;
    }

    private static CharsetMap oneByte(ConfDirective d, String from, String to) throws ConfException {
        byte[] there = identityAscii();
        byte[] back = identityAscii();
        for (ConfDirective line : d.block()) {
            int src = hexByte(lineValue(line, 0), line);
            int dst = hexByte(lineValue(line, 1), line);
            there[src] = (byte) dst;
            back[dst] = (byte) src;
        }
        return new CharsetMap(from, to, new Recoding.Bytes(there), new Recoding.Bytes(back));
    }

    private static CharsetMap utf8(ConfDirective d, String from, String to) throws ConfException {
        byte[][] toUtf8 = new byte[256][];
        byte[][] fromUtf8 = new byte[256][];
        fromUtf8[0] = new byte[256];
        for (int i = 0; i < 256; i++) {
            toUtf8[i] = new byte[] {(byte) (i < 0x80 ? i : '?')};
            if (i < 0x80) {
                fromUtf8[0][i] = (byte) i;
            }
        }
        for (ConfDirective line : d.block()) {
            int src = hexByte(lineValue(line, 0), line);
            String hex = lineValue(line, 1);
            if (hex.isEmpty() || hex.length() % 2 != 0 || hex.length() > 2 * UTF_LEN) {
                throw line.error("invalid value \"%s\"", hex);
            }
            byte[] utf8 = new byte[hex.length() / 2];
            for (int i = 0; i < utf8.length; i++) {
                utf8[i] = (byte) hexByte(hex.substring(2 * i, 2 * i + 2), line, hex);
            }
            long n = Recoding.FromUtf8.decode(i -> utf8[i] & 0xff, utf8.length) & Recoding.FromUtf8.VALUE;
            if (n > 0xffff) {
                throw line.error("invalid value \"%s\"", hex);
            }
            toUtf8[src] = utf8;
            int row = (int) (n >> 8);
            if (fromUtf8[row] == null) {
                fromUtf8[row] = new byte[256];
            }
            fromUtf8[row][(int) (n & 0xff)] = (byte) src;
        }
        return new CharsetMap(from, to, new Recoding.ToUtf8(toUtf8), new Recoding.FromUtf8(fromUtf8));
    }

    /** The two words of a line ({@code XX YY;}, read as its name and its one argument), or nginx's error. */
    private static String lineValue(ConfDirective line, int i) throws ConfException {
        if (line.isBlock() || line.args().size() != 1) {
            throw line.error("invalid parameters number");
        }
        return i == 0 ? line.name() : line.arg(0);
    }

    private static byte[] identityAscii() {
        byte[] t = new byte[256];
        for (int i = 0; i < 256; i++) {
            t[i] = (byte) (i < 0x80 ? i : '?');
        }
        return t;
    }

    private static int hexByte(String hex, ConfDirective line) throws ConfException {
        return hexByte(hex, line, hex);
    }

    /** nginx's {@code ngx_hextoi}, at most 255, or {@code invalid value "shown"}. */
    private static int hexByte(String hex, ConfDirective line, String shown) throws ConfException {
        int v = hex.isEmpty() ? -1 : 0;
        for (int i = 0; i < hex.length() && v >= 0; i++) {
            char c = hex.charAt(i);
            int digit = c < 0x80 ? Character.digit(c, 16) : -1;
            v = digit < 0 || v > 255 ? -1 : v * 16 + digit;
        }
        if (v < 0 || v > 255) {
            throw line.error("invalid value \"%s\"", shown);
        }
        return v;
    }
}
