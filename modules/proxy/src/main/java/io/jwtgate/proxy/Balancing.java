package io.jwtgate.proxy;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.ComplexValue;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * An upstream's load-balancing method, as its block chose it: nginx's round robin (the default), {@code least_conn},
 * {@code hash key [consistent]}, {@code ip_hash} or {@code random [two [least_conn]]}. Immutable; what a request
 * brings to the choice (the hash key, the client address) is taken by {@link #key(HttpExchange)} and
 * {@link #clientAddress(HttpExchange)}. See {@code docs/proxy.md}.
 */
final class Balancing {

    enum Kind { ROUND_ROBIN, LEAST_CONN, HASH, CONSISTENT_HASH, IP_HASH, RANDOM, RANDOM_TWO }

    static final Balancing ROUND_ROBIN = new Balancing(Kind.ROUND_ROBIN, null);

    final Kind kind;
    /** The key of {@code hash}, else {@code null}. */
    private final ComplexValue key;

    Balancing(Kind kind, ComplexValue key) {
        this.kind = kind;
        this.key = key;
    }

    /** Whether the method has backup servers (nginx's {@code NGX_HTTP_UPSTREAM_BACKUP} flag). */
    boolean allowsBackup() {
        return kind == Kind.ROUND_ROBIN || kind == Kind.LEAST_CONN;
    }

    /** The request's {@code hash} key as bytes (empty for the other methods). */
    byte[] key(HttpExchange x) {
        if (key == null) {
            return EMPTY;
        }
        String k = key.evaluate(x);
        return k == null ? EMPTY : k.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * What {@code ip_hash} hashes (nginx's {@code ngx_http_upstream_init_ip_hash_peer}): the first three octets of
     * an IPv4 client address, all 16 bytes of an IPv6 one; {@code null} for the other methods. The address is the
     * one {@code realip} set, as nginx's {@code r->connection->sockaddr}.
     */
    byte[] clientAddress(HttpExchange x) {
        if (kind != Kind.IP_HASH) {
            return null;
        }
        InetAddress a = x.remoteAddress().getAddress();
        byte[] b = a.getAddress();
        return b.length == 4 ? new byte[] {b[0], b[1], b[2]} : b;
    }

    private static final byte[] EMPTY = {};
}
