package io.jwtgate.core.codec;

import java.util.Arrays;

/**
 * An address with a mask, parsed exactly as nginx's {@code ngx_ptocidr} reads {@code allow}/{@code deny} and
 * {@code set_real_ip_from} arguments: {@code addr} or {@code addr/len}, IPv4 in strict dotted form or IPv6
 * ({@link InetText}). Never resolves names.
 *
 * @param network the address with host bits cleared, 4 or 16 bytes
 * @param mask the mask, same length as {@code network}
 * @param hostBitsSet whether the text had bits set below the mask (nginx's {@code NGX_DONE}: a warning, not an error)
 */
public record Cidr(byte[] network, byte[] mask, boolean hostBitsSet) {

    public boolean isIpv4() {
        return network.length == 4;
    }

    /**
     * Whether {@code address} (4 or 16 bytes) is in this network, as {@code ngx_cidr_match}: only an address of the
     * same family matches, an IPv4-mapped IPv6 address counting as IPv4.
     */
    public boolean contains(byte[] address) {
        int from = 0;
        if (address.length == 16 && network.length == 4) {
            if (!isIpv4Mapped(address)) {
                return false;
            }
            from = 12;
        } else if (address.length != network.length || (address.length == 16 && isIpv4Mapped(address))) {
            return false;
        }
        for (int i = 0; i < network.length; i++) {
            if ((address[from + i] & mask[i]) != network[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether 16 bytes are an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}). */
    public static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** The network of one address (4 or 16 bytes), as nginx makes one of each address a name resolves to. */
    public static Cidr host(byte[] address) {
        byte[] mask = new byte[address.length];
        Arrays.fill(mask, (byte) 0xff);
        return new Cidr(address.clone(), mask, false);
    }

    /** Parses {@code text}; {@code null} when nginx would answer {@code NGX_ERROR}. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = InetText.ipv4(addr);
        if (bytes == null) {
            bytes = InetText.ipv6(addr);
            if (bytes == null) {
                return null;
            }
        }
        if (slash < 0) {
            return host(bytes);
        }
        byte[] mask = new byte[bytes.length];
        int shift = maskLength(text.substring(slash + 1));
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

    /** {@code ngx_atoi} of a mask length: decimal digits only; -1 when malformed or above any family's 128. */
    private static int maskLength(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
            if (n > 128) {
                return -1;
            }
        }
        return n;
    }
}
