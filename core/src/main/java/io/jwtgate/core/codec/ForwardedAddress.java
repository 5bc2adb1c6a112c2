package io.jwtgate.core.codec;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * nginx's {@code ngx_http_get_forwarded_addr}: the client address a trusted peer's header gives, read from its end.
 * Without recursion the last address of the last header line is taken when the peer is trusted; with it, addresses
 * are taken from the end, line after line, as long as the address taken so far is trusted, and the first untrusted
 * one (or the last valid one) is the client (realip's {@code set_real_ip_from}, geo's {@code proxy}). Elements are
 * separated by {@code ,} and spaces; an element that is not an address ({@link InetText#addressPort}) ends the walk.
 * The quirks are nginx's: a line's first character is never taken for a separator, so {@code ",1.2.3.4"} is not an
 * address.
 */
public final class ForwardedAddress {

    /** What one line gave: nothing, an address with the walk stopped early, or an address with the line used up. */
    private static final int DECLINED = 0;
    private static final int DONE = 1;
    private static final int OK = 2;

    private final List<Cidr> trusted;
    private final boolean recursive;
    private InetSocketAddress address;

    private ForwardedAddress(InetSocketAddress peer, List<Cidr> trusted, boolean recursive) {
        this.address = peer;
        this.trusted = trusted;
        this.recursive = recursive;
    }

    /**
     * The client's address behind {@code peer}, or {@code null} when the header gives none (untrusted peer, no valid
     * address).
     *
     * @param lines the header's values in the order sent; only {@code X-Forwarded-For} reads more than one
     */
    public static InetSocketAddress find(InetSocketAddress peer, List<String> lines, List<Cidr> trusted,
            boolean recursive) {
        ForwardedAddress walk = new ForwardedAddress(peer, trusted, recursive);
        int rc = DECLINED;
        boolean found = false;
        for (int i = lines.size() - 1; i >= 0; i--) {
            rc = walk.line(lines.get(i));
            if (!recursive) {
                break;
            }
            if (rc == DECLINED && found) {
                rc = DONE;
                break;
            }
            if (rc != OK) {
                break;
            }
            found = true;
        }
        return rc == DECLINED ? null : walk.address;
    }

    /** {@code ngx_http_get_forwarded_addr_internal} over one header line. */
    private int line(String xff) {
        boolean found = false;
        int len = xff.length();
        int p;
        do {
            if (!isTrusted(address)) {
                return found ? DONE : DECLINED;
            }
            for (p = len - 1; p > 0; p--, len--) {
                char c = xff.charAt(p);
                if (c != ' ' && c != ',') {
                    break;
                }
            }
            for (; p > 0; p--) {
                char c = xff.charAt(p);
                if (c == ' ' || c == ',') {
                    p++;
                    break;
                }
            }
            // an empty line leaves p at -1: nginx then reads the byte before the value, never an address
            InetSocketAddress element = p < 0 ? null : InetText.addressPort(xff.substring(p, len));
            if (element == null) {
                return found ? DONE : DECLINED;
            }
            address = element;
            found = true;
            len = p - 1;
        } while (recursive && p > 0);
        return OK;
    }

    private boolean isTrusted(InetSocketAddress a) {
        byte[] bytes = a.getAddress().getAddress();
        for (Cidr cidr : trusted) {
            if (cidr.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
