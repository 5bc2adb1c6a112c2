package io.jwtgate.geo;

import io.jwtgate.core.codec.Cidr;
import io.jwtgate.core.codec.ForwardedAddress;
import io.jwtgate.core.codec.InetText;
import io.jwtgate.core.http.HttpExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One {@code geo} variable: where its address comes from and the table it is looked up in (networks, or IPv4
 * ranges). An address that cannot be had (the source variable empty or not an address) is looked up as
 * {@code 255.255.255.255}, as nginx's {@code INADDR_NONE}.
 *
 * @param source the index of the {@code $address} variable, or -1 for the client's address
 * @param proxies the {@code proxy} networks, or {@code null}: a request from one is looked up by its
 *     {@code X-Forwarded-For}
 */
record GeoTable(int source, List<Cidr> proxies, boolean proxyRecursive, PrefixTable v4, PrefixTable v6,
        RangeTable ranges) {

    static final byte[] NONE = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};

    String lookup(HttpExchange x) {
        byte[] address = address(x);
        if (address.length == 16 && Cidr.isIpv4Mapped(address)) {
            address = new byte[] {address[12], address[13], address[14], address[15]};
        }
        if (ranges != null) {
            return ranges.find(address.length == 4 ? GeoBuilder.toInt(address) : 0xffffffffL);
        }
        return address.length == 4 ? v4.find(address) : v6.find(address);
    }

    /** {@code ngx_http_geo_addr}: the address, then the one a trusted proxy's {@code X-Forwarded-For} gives. */
    private byte[] address(HttpExchange x) {
        InetSocketAddress a;
        if (source < 0) {
            a = x.remoteAddress();
        } else {
            String v = x.variable(source);
            InetAddress parsed = v == null ? null : InetText.address(v);
            if (parsed == null) {
                return NONE;
            }
            a = new InetSocketAddress(parsed, 0);
        }
        if (proxies != null) {
            List<String> xff = x.headers("X-Forwarded-For");
            if (!xff.isEmpty()) {
                InetSocketAddress forwarded = ForwardedAddress.find(a, xff, proxies, proxyRecursive);
                if (forwarded != null) {
                    a = forwarded;
                }
            }
        }
        return a.getAddress().getAddress();
    }
}
