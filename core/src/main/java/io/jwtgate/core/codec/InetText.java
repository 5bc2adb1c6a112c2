package io.jwtgate.core.codec;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * IP addresses as text, read and written exactly as nginx's {@code ngx_inet.c}: the literals of {@code allow},
 * {@code set_real_ip_from} and the address headers realip reads ({@code ngx_inet_addr}, {@code ngx_inet6_addr},
 * {@code ngx_parse_addr_port}), and {@code $remote_addr} and the error log's {@code client:} ({@code ngx_sock_ntop}).
 * Never resolves names. An IPv4-mapped IPv6 address read here stays IPv6 ({@code ::ffff:1.2.3.4}), as in nginx,
 * where {@code InetAddress.getByAddress} would make it IPv4.
 */
public final class InetText {

    private InetText() {
    }

    /**
     * {@code ngx_inet_addr}: four decimal octets (empty ones count as 0, as in nginx), each at most 255; {@code null}
     * otherwise. Like nginx, {@code 255.255.255.255} is rejected because it equals {@code INADDR_NONE}.
     */
    public static byte[] ipv4(String s) {
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
    public static byte[] ipv6(String s) {
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

    /** {@code ngx_parse_addr}: an IPv4 literal, else an IPv6 one; {@code null} when {@code s} is neither. */
    public static InetAddress address(String s) {
        byte[] bytes = ipv4(s);
        if (bytes == null) {
            bytes = ipv6(s);
        }
        return bytes == null ? null : address(bytes);
    }

    /**
     * {@code ngx_parse_addr_port} of nginx 1.22: an address alone (port 0), {@code a.b.c.d:port} or
     * {@code [v6]:port} with a port of 1 to 65535; {@code null} otherwise ({@code [v6]} without a port too).
     */
    public static InetSocketAddress addressPort(String s) {
        InetAddress alone = address(s);
        if (alone != null) {
            return new InetSocketAddress(alone, 0);
        }
        int colon;
        String host;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close == s.length() - 1 || s.charAt(close + 1) != ':') {
                return null;
            }
            colon = close + 1;
            host = s.substring(1, close);
        } else {
            colon = s.indexOf(':');
            if (colon < 0) {
                return null;
            }
            host = s.substring(0, colon);
        }
        int port = port(s, colon + 1);
        InetAddress address = port < 0 ? null : address(host);
        return address == null ? null : new InetSocketAddress(address, port);
    }

    /** {@code ngx_atoi} of the rest of {@code s} from {@code from}, as a port: 1 to 65535, or -1. */
    private static int port(String s, int from) {
        if (from == s.length()) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
            if (n > 65535) {
                return -1;
            }
        }
        return n == 0 ? -1 : n;
    }

    /** The address of 4 or 16 bytes; 16 bytes stay IPv6 even when IPv4-mapped, as nginx keeps them. */
    public static InetAddress address(byte[] bytes) {
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address is 4 or 16 bytes, not " + bytes.length, e);
        }
    }

    /**
     * {@code ngx_sock_ntop} without the port: {@code 127.0.0.1}, or IPv6 with its first longest run of two or more
     * zero groups as {@code ::} and lower-case hex, an IPv4-mapped ({@code ::ffff:1.2.3.4}) or IPv4-compatible
     * ({@code ::1.2.3.4}) address with a dotted tail ({@code ngx_inet6_ntop}).
     */
    public static String text(InetAddress address) {
        byte[] p = address.getAddress();
        if (p.length == 4) {
            return (p[0] & 0xff) + "." + (p[1] & 0xff) + "." + (p[2] & 0xff) + "." + (p[3] & 0xff);
        }
        int zero = -1;
        int max = 1;
        int last = -1;
        int n = 0;
        for (int i = 0; i < 16; i += 2) {
            if (p[i] != 0 || p[i + 1] != 0) {
                if (max < n) {
                    zero = last;
                    max = n;
                }
                n = 0;
                continue;
            }
            if (n++ == 0) {
                last = i;
            }
        }
        if (max < n) {
            zero = last;
            max = n;
        }
        StringBuilder sb = new StringBuilder(39);
        int groups = 16;
        if (zero == 0) {
            if ((max == 5 && p[10] == (byte) 0xff && p[11] == (byte) 0xff) || max == 6
                    || (max == 7 && p[14] != 0 && p[15] != 1)) {
                groups = 12;
            }
            sb.append(':');
        }
        for (int i = 0; i < groups; i += 2) {
            if (i == zero) {
                sb.append(':');
                i += (max - 1) * 2;
                continue;
            }
            sb.append(Integer.toHexString((p[i] & 0xff) << 8 | p[i + 1] & 0xff));
            if (i < 14) {
                sb.append(':');
            }
        }
        if (groups == 12) {
            sb.append(p[12] & 0xff).append('.').append(p[13] & 0xff).append('.').append(p[14] & 0xff).append('.')
                    .append(p[15] & 0xff);
        }
        return sb.toString();
    }
}
