package io.jwtgate.proxy;

import java.net.InetSocketAddress;

/**
 * One address of an upstream server, as nginx's {@code ngx_http_upstream_rr_peer_t} without its run-time state (which
 * {@link Balancer} keeps per event loop, or once for all loops with a {@code zone}). Immutable.
 *
 * @param address the resolved address
 * @param name {@code ip:port}, as {@code $upstream_addr} and the error log show it
 * @param server the {@code server} directive's address as written, shared by every address of that server (what
 *     {@code hash ... consistent} places on its ring, as nginx)
 * @param weight {@code weight=}, at least 1
 * @param maxFails {@code max_fails=}, 0 disables failure accounting
 * @param failTimeoutMs {@code fail_timeout=} in milliseconds
 * @param maxConns {@code max_conns=}, 0 for no limit
 * @param backup whether this is a {@code backup} server
 * @param down marked {@code down}: never chosen
 */
record Peer(InetSocketAddress address, String name, String server, int weight, int maxFails, long failTimeoutMs,
        int maxConns, boolean backup, boolean down) {

    static Peer of(InetSocketAddress address, String server, ServerParams p) {
        return new Peer(address, name(address), server, p.weight(), p.maxFails(), p.failTimeoutMs(), p.maxConns(),
                p.backup(), p.down());
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
