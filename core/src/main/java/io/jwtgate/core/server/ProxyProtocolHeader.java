package io.jwtgate.core.server;

import io.jwtgate.core.http.ProxyProtocolAddresses;
import java.nio.charset.StandardCharsets;

/**
 * Reads a PROXY protocol header, v1 (text) or v2 (binary), from the bytes a connection's first read brought, as
 * nginx 1.22 does (docs/realip.md#proxy-protocol): what the read holds is all there is, a header cut short is
 * broken. v1 addresses are kept as sent (only their characters are checked), v2 addresses are formatted as nginx
 * formats them; a v1 {@code UNKNOWN}, a v2 {@code LOCAL} and a v2 family or transport nginx does not read are
 * accepted and give no addresses; v2 TLVs are skipped.
 */
final class ProxyProtocolHeader {

    /** nginx's {@code NGX_PROXY_PROTOCOL_MAX_HEADER}: the most a TLS listener looks at, plus one byte. */
    static final int TLS_READ_LIMIT = 108;
    /** What a plain listener's first read takes at most: nginx's {@code client_header_buffer_size} default. */
    static final int PLAIN_READ_LIMIT = 1024;

    private static final byte[] V2_SIGNATURE = {'\r', '\n', '\r', '\n', 0, '\r', '\n', 'Q', 'U', 'I', 'T', '\n'};
    private static final int V2_FIXED = 16;
    private static final int V2_INET = 12;
    private static final int V2_INET6 = 36;

    /** What a read gave: a header and its length, or the reason to close the connection. */
    sealed interface Outcome {
    }

    /**
     * A header of {@code length} bytes.
     *
     * @param addresses what it said, or {@code null} when it gave no addresses ({@code UNKNOWN}, {@code LOCAL}...)
     */
    record Header(int length, ProxyProtocolAddresses addresses) implements Outcome {
    }

    /** No header nginx accepts: the connection is closed after {@code message} is logged at error level. */
    record Broken(String message) implements Outcome {
    }

    private ProxyProtocolHeader() {
    }

    /** Reads the header at the start of {@code read}, the bytes the first read brought (up to the limit). */
    static Outcome read(byte[] read) {
        int len = read.length;
        if (len >= V2_FIXED && startsWith(read, V2_SIGNATURE)) {
            return v2(read, len);
        }
        Header h = v1(read, len);
        return h != null ? h : new Broken("broken header: \"" + printable(read, len) + "\"");
    }

    private static Header v1(byte[] b, int len) {
        if (len < 8 || !ascii(b, 0, "PROXY ")) {
            return null;
        }
        int p = 6;
        if (len - p >= 7 && ascii(b, p, "UNKNOWN")) {
            for (p += 7; p < len - 1; p++) {
                if (b[p] == '\r' && b[p + 1] == '\n') {
                    return new Header(p + 2, null);
                }
            }
            return null;
        }
        if (len - p < 5 || !ascii(b, p, "TCP") || b[p + 3] != '4' && b[p + 3] != '6' || b[p + 4] != ' ') {
            return null;
        }
        p += 5;
        int srcEnd = addressEnd(b, p, len);
        if (srcEnd < 0) {
            return null;
        }
        int dstEnd = addressEnd(b, srcEnd + 1, len);
        if (dstEnd < 0) {
            return null;
        }
        int srcPortEnd = indexOf(b, dstEnd + 1, len, (byte) ' ');
        int srcPort = srcPortEnd < 0 ? -1 : port(b, dstEnd + 1, srcPortEnd);
        if (srcPort < 0) {
            return null;
        }
        int dstPortEnd = indexOf(b, srcPortEnd + 1, len, (byte) '\r');
        int dstPort = dstPortEnd < 0 ? -1 : port(b, srcPortEnd + 1, dstPortEnd);
        if (dstPort < 0 || dstPortEnd + 1 >= len || b[dstPortEnd + 1] != '\n') {
            return null;
        }
        return new Header(dstPortEnd + 2, new ProxyProtocolAddresses(text(b, p, srcEnd), srcPort,
                text(b, srcEnd + 1, dstEnd), dstPort));
    }

    /** Where the address at {@code from} ends (its space), or -1: nginx allows hex digits, ':' and '.' only. */
    private static int addressEnd(byte[] b, int from, int len) {
        for (int i = from; i < len; i++) {
            byte c = b[i];
            if (c == ' ') {
                return i;
            }
            if (c != ':' && c != '.' && (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F')) {
                return -1;
            }
        }
        return -1;
    }

    /** The decimal port in {@code b[from, to)}, or -1: digits only, at least one, at most 65535 (0 allowed). */
    private static int port(byte[] b, int from, int to) {
        if (from == to) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            n = n * 10 + b[i] - '0';
            if (n > 65535) {
                return -1;
            }
        }
        return n;
    }

    private static Outcome v2(byte[] b, int len) {
        int version = (b[12] & 0xff) >> 4;
        if (version != 2) {
            return new Broken("unknown PROXY protocol version: " + version);
        }
        int bodyLength = (b[14] & 0xff) << 8 | b[15] & 0xff;
        if (len - V2_FIXED < bodyLength) {
            return new Broken("header is too large");
        }
        int end = V2_FIXED + bodyLength;
        int command = b[12] & 0x0f;
        int transport = b[13] & 0x0f;
        int family = (b[13] & 0xff) >> 4;
        if (command != 1 || transport != 1 || family != 1 && family != 2) {
            return new Header(end, null); // LOCAL or another command, UDP, unix or unspecified: nothing to read
        }
        int addrLength = family == 1 ? 4 : 16;
        if (bodyLength < (family == 1 ? V2_INET : V2_INET6)) {
            // nginx closes here without a line; one says why (docs/realip.md#proxy-protocol)
            return new Broken("broken header: \"" + printable(b, end) + "\"");
        }
        int src = V2_FIXED;
        int dst = src + addrLength;
        int ports = dst + addrLength;
        return new Header(end, new ProxyProtocolAddresses(address(b, src, addrLength), uint16(b, ports),
                address(b, dst, addrLength), uint16(b, ports + 2)));
    }

    private static int uint16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    /** An address as nginx's {@code ngx_sock_ntop} writes it. */
    private static String address(byte[] b, int at, int length) {
        StringBuilder sb = new StringBuilder(length == 4 ? 15 : 39);
        if (length == 4) {
            dotted(sb, b, at);
        } else {
            ipv6(sb, b, at);
        }
        return sb.toString();
    }

    private static void dotted(StringBuilder sb, byte[] b, int at) {
        sb.append(b[at] & 0xff).append('.').append(b[at + 1] & 0xff).append('.').append(b[at + 2] & 0xff)
                .append('.').append(b[at + 3] & 0xff);
    }

    /**
     * nginx's {@code ngx_inet6_ntop}: lower-case hex groups, the first longest run of two or more zero groups as
     * {@code ::}, and the last four bytes dotted for an IPv4-mapped or IPv4-compatible address.
     */
    private static void ipv6(StringBuilder sb, byte[] b, int at) {
        int zeroAt = -1;
        int zeroLength = 1;
        int runAt = -1;
        int run = 0;
        for (int g = 0; g <= 8; g++) {
            if (g < 8 && b[at + 2 * g] == 0 && b[at + 2 * g + 1] == 0) {
                if (run++ == 0) {
                    runAt = g;
                }
                continue;
            }
            if (run > zeroLength) {
                zeroAt = runAt;
                zeroLength = run;
            }
            run = 0;
        }
        int groups = 8;
        if (zeroAt == 0) {
            boolean mapped = zeroLength == 5 && (b[at + 10] & 0xff) == 0xff && (b[at + 11] & 0xff) == 0xff;
            boolean compatible = zeroLength == 6 || zeroLength == 7 && b[at + 14] != 0 && b[at + 15] != 1;
            if (mapped || compatible) {
                groups = 6;
            }
            sb.append(':');
        }
        for (int g = 0; g < groups; g++) {
            if (g == zeroAt) {
                sb.append(':');
                g += zeroLength - 1;
                continue;
            }
            sb.append(Integer.toHexString(uint16(b, at + 2 * g)));
            if (g < 7) {
                sb.append(':');
            }
        }
        if (groups == 6) {
            dotted(sb, b, at + 12);
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from, int len, byte c) {
        for (int i = from; i < len; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    /**
     * The bytes for the log line: printable ASCII as is, other bytes, {@code "} and {@code \} as {@code \xHH}
     * (nginx writes them raw).
     */
    private static String printable(byte[] b, int len) {
        StringBuilder sb = new StringBuilder(len + 16);
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
