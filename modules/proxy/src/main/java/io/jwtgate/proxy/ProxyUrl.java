package io.jwtgate.proxy;

import io.jwtgate.core.conf.ConfValues;

/**
 * The URL of a {@code proxy_pass}, split as nginx's {@code ngx_parse_url} splits it. Immutable.
 *
 * @param https whether the scheme is {@code https}
 * @param host the host as written (a name, an IPv4 address or a bracketed IPv6 address)
 * @param port the port, the scheme's default when none is written
 * @param explicitPort whether a port was written
 * @param uri the URI part, from the first {@code /} on; empty when there is none
 */
record ProxyUrl(boolean https, String host, int port, boolean explicitPort, String uri) {

    /** Why a URL could not be parsed, in nginx's words. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static ProxyUrl parse(String url) throws Invalid {
        boolean https;
        String rest;
        if (url.regionMatches(true, 0, "http://", 0, 7)) {
            https = false;
            rest = url.substring(7);
        } else if (url.regionMatches(true, 0, "https://", 0, 8)) {
            https = true;
            rest = url.substring(8);
        } else {
            throw new Invalid("invalid URL prefix in \"" + url + "\"");
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String uri = slash < 0 ? "" : rest.substring(slash);
        int q = hostPort.indexOf('?');
        if (q >= 0) {
            // "http://host?args": nginx takes the query as the URI part
            uri = hostPort.substring(q) + uri;
            hostPort = hostPort.substring(0, q);
        }
        String host;
        String port = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new Invalid("invalid host in upstream \"" + rest + "\"");
            }
            host = hostPort.substring(0, close + 1);
            if (close + 1 < hostPort.length()) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw new Invalid("invalid host in upstream \"" + rest + "\"");
                }
                port = hostPort.substring(close + 2);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new Invalid("no host in upstream \"" + rest + "\"");
        }
        int p = https ? 443 : 80;
        if (port != null) {
            p = ConfValues.number(port);
            if (p < 1 || p > 65535) {
                throw new Invalid("invalid port in upstream \"" + rest + "\"");
            }
        }
        return new ProxyUrl(https, host, p, port != null, uri);
    }

    /** {@code $proxy_host}: the host, with the port unless it is the scheme's default. */
    String proxyHost() {
        return port == (https ? 443 : 80) ? host : host + ":" + port;
    }

    /** The host without IPv6 brackets, as a resolver wants it. */
    String bareHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
