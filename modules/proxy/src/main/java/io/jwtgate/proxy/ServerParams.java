package io.jwtgate.proxy;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import java.util.List;

/**
 * The parameters of an upstream's {@code server} directive, parsed as nginx's {@code ngx_http_upstream_server}:
 * {@code weight=}, {@code max_fails=}, {@code fail_timeout=}, {@code max_conns=}, {@code backup}, {@code down}, and
 * nginx 1.27.3's {@code resolve} (docs/proxy.md#resolver). A
 * parameter the block's balancing method does not allow is refused with nginx's words ({@code backup} after
 * {@code hash}, {@code ip_hash} or {@code random}).
 *
 * @param weight {@code weight=} (default 1)
 * @param maxFails {@code max_fails=} (default 1)
 * @param failTimeoutMs {@code fail_timeout=} (default 10s)
 * @param maxConns {@code max_conns=} (default 0: no limit)
 * @param backup {@code backup}
 * @param down {@code down}
 * @param resolve {@code resolve}: a name followed through the resolver at run time
 */
record ServerParams(int weight, int maxFails, long failTimeoutMs, int maxConns, boolean backup, boolean down,
        boolean resolve) {

    /** nginx's defaults, also those of an implicit upstream's server ({@code ngx_http_upstream_init_round_robin}). */
    static final ServerParams DEFAULT = new ServerParams(1, 1, 10_000, 0, false, false, false);
    /** A {@code proxy_pass} with variables naming an address: nginx keeps no failure state for it. */
    static final ServerParams TRANSIENT = new ServerParams(1, 0, 0, 0, false, false, false);

    /**
     * Parses {@code params} (the arguments after the address) of {@code d}; {@code backupAllowed} is false once the
     * block chose a method that has no backup servers.
     */
    static ServerParams parse(ConfDirective d, List<String> params, boolean backupAllowed) throws ConfException {
        int weight = DEFAULT.weight;
        int maxFails = DEFAULT.maxFails;
        long failTimeout = DEFAULT.failTimeoutMs;
        int maxConns = DEFAULT.maxConns;
        boolean backup = false;
        boolean down = false;
        boolean resolve = false;
        for (String p : params) {
            if (p.startsWith("weight=")) {
                weight = ConfValues.number(p.substring(7));
                if (weight <= 0) {
                    throw invalid(d, p);
                }
            } else if (p.startsWith("max_fails=")) {
                maxFails = nonNegative(d, p, 10);
            } else if (p.startsWith("max_conns=")) {
                maxConns = nonNegative(d, p, 10);
            } else if (p.startsWith("fail_timeout=")) {
                failTimeout = ConfValues.millis(p.substring(13));
                if (failTimeout < 0) {
                    throw invalid(d, p);
                }
            } else if (p.equals("backup")) {
                if (!backupAllowed) {
                    throw d.error("balancing method does not support parameter \"%s\"", p);
                }
                backup = true;
            } else if (p.equals("down")) {
                down = true;
            } else if (p.equals("resolve")) {
                resolve = true;
            } else {
                throw invalid(d, p);
            }
        }
        return new ServerParams(weight, maxFails, failTimeout, maxConns, backup, down, resolve);
    }

    private static int nonNegative(ConfDirective d, String p, int nameLength) throws ConfException {
        int n = ConfValues.number(p.substring(nameLength));
        if (n < 0) {
            throw invalid(d, p);
        }
        return n;
    }

    private static ConfException invalid(ConfDirective d, String p) {
        return d.error("invalid parameter \"%s\"", p);
    }
}
