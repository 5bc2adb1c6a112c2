package io.jwtgate.access;

import io.jwtgate.core.codec.Cidr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code allow}/{@code deny} rules of one level, compiled for the request path: nginx keeps one list per address
 * family ({@code rules}, {@code rules6}, {@code rules_un}) and so does this class. {@code all} is in every list. A
 * client address is checked against its family's list only, in order, and the first match decides. Immutable.
 */
final class AccessRules {

    /** The outcome of {@link #check}: no rule matched, an {@code allow} matched, or a {@code deny} matched. */
    enum Verdict { NONE, ALLOW, DENY }

    /** No rules at any level. */
    static final AccessRules EMPTY = new AccessRules(new Builder());

    // IPv4 rules as ints, compared with one AND per rule
    private final int[] net4;
    private final int[] mask4;
    private final boolean[] deny4;
    // IPv6 rules as 16-byte arrays
    private final byte[][] net6;
    private final byte[][] mask6;
    private final boolean[] deny6;
    private final int unixRules;

    private AccessRules(Builder b) {
        int n4 = b.v4.size();
        net4 = new int[n4];
        mask4 = new int[n4];
        deny4 = new boolean[n4];
        for (int i = 0; i < n4; i++) {
            Rule r = b.v4.get(i);
            net4[i] = toInt(r.net);
            mask4[i] = toInt(r.mask);
            deny4[i] = r.deny;
        }
        int n6 = b.v6.size();
        net6 = new byte[n6][];
        mask6 = new byte[n6][];
        deny6 = new boolean[n6];
        for (int i = 0; i < n6; i++) {
            Rule r = b.v6.get(i);
            net6[i] = r.net;
            mask6[i] = r.mask;
            deny6[i] = r.deny;
        }
        unixRules = b.unix;
    }

    /** Whether this level has no rule for any family (nginx's merge then takes the parent's lists). */
    boolean isEmpty() {
        return net4.length == 0 && net6.length == 0 && unixRules == 0;
    }

    /**
     * Checks a client address, as {@code ngx_http_access_handler}: IPv4 clients, and IPv4-mapped IPv6 clients, against
     * the IPv4 rules; other IPv6 clients against the IPv6 rules.
     */
    Verdict check(InetAddress client) {
        byte[] a = client.getAddress();
        if (client instanceof Inet4Address) {
            return check4(toInt(a));
        }
        if (client instanceof Inet6Address) {
            if (Cidr.isIpv4Mapped(a)) {
                return check4(((a[12] & 0xff) << 24) | ((a[13] & 0xff) << 16) | ((a[14] & 0xff) << 8) | (a[15] & 0xff));
            }
            return check6(a);
        }
        return Verdict.NONE;
    }

    private Verdict check4(int addr) {
        for (int i = 0; i < net4.length; i++) {
            if ((addr & mask4[i]) == net4[i]) {
                return deny4[i] ? Verdict.DENY : Verdict.ALLOW;
            }
        }
        return Verdict.NONE;
    }

    private Verdict check6(byte[] addr) {
        rules:
        for (int i = 0; i < net6.length; i++) {
            byte[] net = net6[i];
            byte[] mask = mask6[i];
            for (int k = 0; k < 16; k++) {
                if ((addr[k] & mask[k]) != net[k]) {
                    continue rules;
                }
            }
            return deny6[i] ? Verdict.DENY : Verdict.ALLOW;
        }
        return Verdict.NONE;
    }

    private static int toInt(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private record Rule(byte[] net, byte[] mask, boolean deny) {
    }

    /** The rules of one level while the configuration is read, in order. */
    static final class Builder {
        private static final byte[] ANY4 = new byte[4];
        private static final byte[] ANY6 = new byte[16];

        private final List<Rule> v4 = new ArrayList<>();
        private final List<Rule> v6 = new ArrayList<>();
        private int unix;

        void add(Cidr cidr, boolean deny) {
            (cidr.isIpv4() ? v4 : v6).add(new Rule(cidr.network(), cidr.mask(), deny));
        }

        /** {@code all}: a rule in every family's list. */
        void addAll(boolean deny) {
            v4.add(new Rule(ANY4, ANY4, deny));
            v6.add(new Rule(ANY6, ANY6, deny));
            unix++;
        }

        /** {@code unix:}: kept for merging only, since jwtgate never listens on a UNIX-domain socket. */
        void addUnix() {
            unix++;
        }

        boolean isEmpty() {
            return v4.isEmpty() && v6.isEmpty() && unix == 0;
        }

        AccessRules build() {
            return new AccessRules(this);
        }
    }
}
