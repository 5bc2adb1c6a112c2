package io.jwtgate.core.config;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.http.SocketOptions;

/**
 * The socket-option parameters of one {@code listen} directive, read and checked as nginx's
 * {@code ngx_http_core_listen} reads them, with its words: {@code reuseport}, {@code backlog=},
 * {@code rcvbuf=}, {@code sndbuf=}, {@code so_keepalive=}, {@code deferred}, {@code fastopen=}; and the ones jwtgate
 * refuses with the reason ({@code bind}, {@code ipv6only=}, {@code setfib=}, {@code accept_filter=}).
 */
final class ListenOptions {

    private boolean set;
    private boolean reuseport;
    private int backlog = SocketOptions.DEFAULT.backlog();
    private int rcvbuf = -1;
    private int sndbuf = -1;
    private Boolean keepalive;
    private int keepIdle = -1;
    private int keepInterval = -1;
    private int keepCount = -1;
    private boolean deferred;
    private int fastopen = -1;

    /** Reads {@code param} if it is a socket option; whether it was one. */
    boolean read(ConfDirective d, String param) throws ConfException {
        int eq = param.indexOf('=');
        String name = eq < 0 ? param : param.substring(0, eq + 1);
        String value = eq < 0 ? "" : param.substring(eq + 1);
        switch (name) {
            case "reuseport":
                reuseport = true;
                break;
            case "deferred":
                deferred = true;
                break;
            case "backlog=":
                backlog = ConfValues.number(value);
                if (backlog <= 0) {
                    throw d.error("invalid backlog \"%s\"", param);
                }
                break;
            case "rcvbuf=":
                rcvbuf = size(d, "rcvbuf", param, value);
                break;
            case "sndbuf=":
                sndbuf = size(d, "sndbuf", param, value);
                break;
            case "fastopen=":
                fastopen = ConfValues.number(value);
                if (fastopen < 0) {
                    throw d.error("invalid fastopen \"%s\"", param);
                }
                break;
            case "so_keepalive=":
                keepalive(d, value);
                break;
            case "bind":
            case "ipv6only=":
                throw d.error("the \"%s\" parameter of \"listen\" is not supported: jwtgate binds the wildcard of a "
                        + "port once, dual-stack for [::]", param);
            case "setfib=":
            case "accept_filter=":
                throw d.error("the \"%s\" parameter of \"listen\" is for FreeBSD, which jwtgate does not run on",
                        name.substring(0, name.length() - 1));
            default:
                return false;
        }
        set = true;
        return true;
    }

    private static int size(ConfDirective d, String what, String param, String value) throws ConfException {
        long n = ConfValues.bytes(value);
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw d.error("invalid %s \"%s\"", what, param);
        }
        return (int) n;
    }

    /** {@code on}, {@code off}, or {@code [keepidle]:[keepintvl]:[keepcnt]}, the first two times, as nginx. */
    private void keepalive(ConfDirective d, String value) throws ConfException {
        if (value.equals("on") || value.equals("off")) {
            keepalive = value.equals("on");
            return;
        }
        String[] parts = value.split(":", -1);
        if (parts.length > 3) {
            throw d.error("invalid so_keepalive value: \"%s\"", value);
        }
        long idle = parts[0].isEmpty() ? -1 : ConfValues.seconds(parts[0]);
        long interval = parts.length < 2 || parts[1].isEmpty() ? -1 : ConfValues.seconds(parts[1]);
        int count = parts.length < 3 || parts[2].isEmpty() ? -1 : ConfValues.number(parts[2]);
        boolean given1 = parts.length > 1 && !parts[1].isEmpty();
        boolean given2 = parts.length > 2 && !parts[2].isEmpty();
        if (!parts[0].isEmpty() && idle <= 0 || given1 && interval <= 0 || given2 && count <= 0
                || idle < 0 && interval < 0 && count < 0) {
            throw d.error("invalid so_keepalive value: \"%s\"", value);
        }
        keepalive = true;
        keepIdle = (int) Math.min(idle, Integer.MAX_VALUE);
        keepInterval = (int) Math.min(interval, Integer.MAX_VALUE);
        keepCount = count;
    }

    /** The options, or {@code null} when the directive set none (nginx's {@code lsopt.set}). */
    SocketOptions build() {
        return set ? new SocketOptions(reuseport, backlog, rcvbuf, sndbuf, keepalive, keepIdle, keepInterval,
                keepCount, deferred, fastopen) : null;
    }
}
