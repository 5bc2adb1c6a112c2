package io.jwtgate.geo;

import io.jwtgate.core.codec.Cidr;
import io.jwtgate.core.codec.InetText;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.module.ConfContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the entries of one {@code geo} block as nginx's {@code ngx_http_geo} handler does: {@code ranges},
 * {@code proxy_recursive}, {@code volatile}, {@code proxy net}, {@code default value}, {@code delete net} and
 * {@code net value} (a CIDR, or {@code a.b.c.d-e.f.g.h} after {@code ranges}); duplicates and deletions of what is
 * not there are warnings, as nginx's. {@code include} was already expanded by the parser. One instance per block.
 */
final class GeoBuilder {

    private final ConfContext cx;
    private final List<Cidr> proxies = new ArrayList<>();
    private boolean proxyRecursive;
    private boolean volatileValue;
    private PrefixTable v4;
    private PrefixTable v6;
    private RangeTable ranges;

    GeoBuilder(ConfContext cx) {
        this.cx = cx;
    }

    void entry(ConfDirective e) throws ConfException {
        if (e.isBlock()) {
            throw e.error("unexpected \"{\"");
        }
        if (e.args().isEmpty()) {
            switch (e.name()) {
                case "ranges":
                    if (v4 != null) {
                        throw e.error("the \"ranges\" directive must be the first directive inside \"geo\" block");
                    }
                    if (ranges == null) {
                        ranges = new RangeTable();
                    }
                    return;
                case "proxy_recursive":
                    proxyRecursive = true;
                    return;
                case "volatile":
                    volatileValue = true;
                    return;
                default:
                    break;
            }
        }
        if (e.args().size() != 1) {
            throw e.error("invalid number of the geo parameters");
        }
        if (e.name().equals("proxy")) {
            proxies.add(network(e, e.arg(0)));
        } else if (ranges != null) {
            range(e);
        } else {
            cidr(e);
        }
    }

    /** {@code ngx_http_geo_cidr}. */
    private void cidr(ConfDirective e) throws ConfException {
        if (v4 == null) {
            v4 = new PrefixTable(4);
            v6 = new PrefixTable(16);
        }
        if (e.name().equals("default")) {
            add(e, v4, new Cidr(new byte[4], new byte[4], false), "default");
            add(e, v6, new Cidr(new byte[16], new byte[16], false), "default");
            return;
        }
        boolean delete = e.name().equals("delete");
        String net = delete ? e.arg(0) : e.name();
        Cidr cidr = network(e, net);
        PrefixTable table = cidr.isIpv4() ? v4 : v6;
        if (delete) {
            if (!table.remove(cidr)) {
                cx.warn(e, "no network \"" + net + "\" to delete");
            }
            return;
        }
        add(e, table, cidr, net);
    }

    private void add(ConfDirective e, PrefixTable table, Cidr cidr, String net) {
        String old = table.put(cidr, e.arg(0));
        if (old != null) {
            cx.warn(e, "duplicate network \"" + net + "\", value: \"" + e.arg(0) + "\", old value: \"" + old + "\"");
        }
    }

    /** {@code ngx_http_geo_cidr_value}. */
    private Cidr network(ConfDirective e, String net) throws ConfException {
        // ngx_inet_addr cannot tell 255.255.255.255 from an error: nginx takes that text on its own
        Cidr cidr = net.equals("255.255.255.255") ? Cidr.host(GeoTable.NONE) : Cidr.parse(net);
        if (cidr == null) {
            throw e.error("invalid network \"%s\"", net);
        }
        if (cidr.hostBitsSet()) {
            cx.warn(e, "low address bits of " + net + " are meaningless");
        }
        return cidr;
    }

    /** {@code ngx_http_geo_range}. */
    private void range(ConfDirective e) throws ConfException {
        if (e.name().equals("default")) {
            String old = ranges.setDefault(e.arg(0));
            if (old != null) {
                cx.warn(e, "duplicate default geo range value: \"" + e.arg(0) + "\", old value: \"" + old + "\"");
            }
            return;
        }
        boolean delete = e.name().equals("delete");
        String net = delete ? e.arg(0) : e.name();
        int dash = net.indexOf('-');
        byte[] start = dash < 0 ? null : InetText.ipv4(net.substring(0, dash));
        byte[] end = start == null ? null : InetText.ipv4(net.substring(dash + 1));
        // InetText.ipv4 refuses 255.255.255.255, as ngx_inet_addr does here
        if (end == null || toInt(start) > toInt(end)) {
            throw e.error("invalid range \"%s\"", net);
        }
        if (delete) {
            if (ranges.delete(toInt(start), toInt(end))) {
                cx.warn(e, "no address range \"" + net + "\" to delete");
            }
            return;
        }
        String overlapped = ranges.add(toInt(start), toInt(end), e.arg(0),
                old -> cx.warn(e, "duplicate range \"" + net + "\", value: \"" + e.arg(0) + "\", old value: \""
                        + old + "\""));
        if (overlapped != null) {
            throw e.error("range \"%s\" overlaps \"%s\"", net, overlapped);
        }
    }

    static long toInt(byte[] a) {
        return ((a[0] & 0xffL) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
    }

    boolean isVolatile() {
        return volatileValue;
    }

    GeoTable build(int source) {
        List<Cidr> trusted = proxies.isEmpty() ? null : List.copyOf(proxies);
        if (ranges != null) {
            return new GeoTable(source, trusted, proxyRecursive, null, null, ranges);
        }
        if (v4 == null) {
            v4 = new PrefixTable(4);
            v6 = new PrefixTable(16);
        }
        // no default: the empty value, as nginx's last insert of the null value at 0/0 (a set default stays)
        v4.putIfAbsent(new Cidr(new byte[4], new byte[4], false), "");
        v6.putIfAbsent(new Cidr(new byte[16], new byte[16], false), "");
        return new GeoTable(source, trusted, proxyRecursive, v4, v6, null);
    }
}
