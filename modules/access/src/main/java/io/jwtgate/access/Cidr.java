package io.jwtgate.access;

import io.jwtgate.core.conf.ConfValues;
import java.util.Arrays;

/**
 * An address with a mask, parsed exactly as nginx's {@code ngx_ptocidr} reads {@code allow}/{@code deny} arguments:
 * {@code addr} or {@code addr/len}, IPv4 in strict dotted form ({@code ngx_inet_addr}) or IPv6 ({@code
 * ngx_inet6_addr}). Never resolves names.
 *
 * @param network the address with host bits cleared, 4 or 16 bytes
 * @param mask the mask, same length as {@code network}
 * @param hostBitsSet whether the text had bits set below the mask (nginx's {@code NGX_DONE}: a warning, not an error)
 */
record Cidr(byte[] network, byte[] mask, boolean hostBitsSet) {

    boolean isIpv4() {
        return network.length == 4;
    }

    /** Parses {@code text}; {@code null} when nginx would answer {@code NGX_ERROR}. */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = ipv4(addr);
        if (bytes == null) {
            bytes = ipv6(addr);
            if (bytes == null) {
                return null;
            }
        }
        byte[] mask = new byte[bytes.length];
        if (slash < 0) {
            Arrays.fill(mask, (byte) 0xff);
            return new Cidr(bytes, mask, false);
        }
        int shift = ConfValues.number(text.substring(slash + 1));
        if (shift < 0 || shift > bytes.length * 8) {
            return null;
        }
        boolean hostBits = false;
        for (int i = 0; i < bytes.length; i++) {
            int s = Math.min(8, shift);
            shift -= s;
            mask[i] = (byte) (0xff << (8 - s));
            byte masked = (byte) (bytes[i] & mask[i]);
            if (masked != bytes[i]) {
                hostBits = true;
                bytes[i] = masked;
            }
        }
        return new Cidr(bytes, mask, hostBits);
    }

    /**
     * {@code ngx_inet_addr}: four decimal octets (empty ones count as 0, as in nginx), each at most 255; {@code null}
     * otherwise. Like nginx, {@code 255.255.255.255} is rejected because it equals {@code INADDR_NONE}.
     */
    static byte[] ipv4(String s) {
        int addr = 0;
        int octet = 0;
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                octet = octet * 10 + (c - '0');
                if (octet > 255) {
                    return null;
                }
            } else if (c == '.') {
                addr = (addr << 8) + octet;
                octet = 0;
                dots++;
            } else {
                return null;
            }
        }
        if (dots != 3) {
            return null;
        }
        addr = (addr << 8) + octet;
        if (addr == -1) {
            return null;
        }
        return new byte[] {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
    }

    /** {@code ngx_inet6_addr}: eight groups, one {@code ::}, an optional dotted IPv4 tail; {@code null} otherwise. */
    static byte[] ipv6(String s) {
        int len = s.length();
        if (len == 0) {
            return null;
        }
        byte[] out = new byte[16];
        int p = 0;
        int o = 0;
        int zero = -1;
        int digit = -1;
        int nibbles = 0;
        int word = 0;
        int n = 8;
        if (s.charAt(0) == ':') {
            p++;
        }
        for (; p < len; p++) {
            char c = s.charAt(p);
            if (c == ':') {
                if (nibbles > 0) {
                    digit = p + 1;
                    out[o++] = (byte) (word >> 8);
                    out[o++] = (byte) word;
                    if (--n > 0) {
                        nibbles = 0;
                        word = 0;
                        continue;
                    }
                } else if (zero < 0) {
                    digit = p + 1;
                    zero = o;
                    continue;
                }
                return null;
            }
            if (c == '.' && nibbles > 0) {
                if (n < 2 || digit < 0) {
                    return null;
                }
                byte[] v4 = ipv4(s.substring(digit));
                if (v4 == null) {
                    return null;
                }
                out[o++] = v4[0];
                out[o++] = v4[1];
                word = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                n--;
                nibbles = 1;
                break;
            }
            if (++nibbles > 4) {
                return null;
            }
            int h = Character.digit(c, 16);
            if (h < 0 || c > 'f') {
                return null;
            }
            word = word * 16 + h;
        }
        if (nibbles == 0 && zero < 0) {
            return null;
        }
        out[o++] = (byte) (word >> 8);
        out[o++] = (byte) word;
        if (--n > 0) {
            if (zero < 0) {
                return null;
            }
            int gap = n * 2;
            System.arraycopy(out, zero, out, zero + gap, o - zero);
            Arrays.fill(out, zero, zero + gap, (byte) 0);
            return out;
        }
        return zero < 0 ? out : null;
    }
}
