package io.jwtgate.proxy;

import java.net.InetSocketAddress;

/**
 * One address of an upstream server, as nginx's {@code ngx_http_upstream_rr_peer_t} without its run-time state (which
 * {@link Balancer} keeps per event loop). Immutable.
 *
 * @param address the resolved address
 * @param name {@code ip:port}, as {@code $upstream_addr} and the error log show it
 * @param weight {@code weight=}, at least 1
 * @param maxFails {@code max_fails=}, 0 disables failure accounting
 * @param failTimeoutMs {@code fail_timeout=} in milliseconds
 * @param backup whether this is a {@code backup} server
 * @param down marked {@code down}: never chosen
 */
record Peer(InetSocketAddress address, String name, int weight, int maxFails, long failTimeoutMs, boolean backup,
        boolean down) {

    static Peer of(InetSocketAddress address, int weight, int maxFails, long failTimeoutMs, boolean backup,
            boolean down) {
        return new Peer(address, name(address), weight, maxFails, failTimeoutMs, backup, down);
    }

    static String name(InetSocketAddress a) {
        String ip = a.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }

    @Override
    public String toString() {
        return name;
    }
}
