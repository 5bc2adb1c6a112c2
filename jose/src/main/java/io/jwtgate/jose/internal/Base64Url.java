package io.jwtgate.jose.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Strict base64url decoder (docs/jwt.md#validation-order, step 2): alphabet {@code A-Z a-z 0-9 - _}, no
 * padding, no whitespace, and canonical trailing bits. Invalid input yields {@code null}, never an exception, because
 * malformed tokens arrive on the hot path.
 */
public final class Base64Url {

    /** Maps an ASCII char to its 6-bit value, or -1. Chars above 127 are rejected before lookup. */
    private static final byte[] DECODE = new byte[128];

    static {
        Arrays.fill(DECODE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Url() {
    }

    /** Decodes a whole string; see {@link #decode(byte[], int, int)}. */
    public static byte[] decode(String s) {
        // Latin-1 keeps one byte per char; chars outside the alphabet stay outside it.
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return decode(b, 0, b.length);
    }

    /**
     * Decodes {@code s[start, end)} of ASCII text in place, without an intermediate String.
     *
     * @return the bytes, or {@code null} if the text is not strict, canonical base64url
     */
    public static byte[] decode(byte[] s, int start, int end) {
        int len = end - start;
        int rem = len & 3;
        if (rem == 1) {
            return null; // a single leftover char cannot encode a byte
        }
        int outLen = (len >>> 2) * 3 + (rem == 0 ? 0 : rem - 1);
        byte[] out = new byte[outLen];
        int o = 0;
        int i = start;
        int fullEnd = start + (len & ~3);
        while (i < fullEnd) {
            int a = at(s, i);
            int b = at(s, i + 1);
            int c = at(s, i + 2);
            int d = at(s, i + 3);
            if ((a | b | c | d) < 0) {
                return null;
            }
            int bits = (a << 18) | (b << 12) | (c << 6) | d;
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
            i += 4;
        }
        if (rem == 2) {
            int a = at(s, i);
            int b = at(s, i + 1);
            // The low 4 bits of the last char carry no data; non-zero means a non-canonical encoding.
            if ((a | b) < 0 || (b & 0x0f) != 0) {
                return null;
            }
            out[o] = (byte) ((a << 2) | (b >> 4));
        } else if (rem == 3) {
            int a = at(s, i);
            int b = at(s, i + 1);
            int c = at(s, i + 2);
            if ((a | b | c) < 0 || (c & 0x03) != 0) {
                return null;
            }
            int bits = (a << 10) | (b << 4) | (c >> 2);
            out[o++] = (byte) (bits >> 8);
            out[o] = (byte) bits;
        }
        return out;
    }

    private static int at(byte[] s, int i) {
        int c = s[i];
        return c < 0 ? -1 : DECODE[c];
    }

    /** Encodes without padding; used by tests and tooling, not on the hot path. */
    public static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
