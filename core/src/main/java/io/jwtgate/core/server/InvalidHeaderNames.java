package io.jwtgate.core.server;

import io.jwtgate.core.codec.FlatHttpHeaders;
import io.jwtgate.core.http.AddressServers;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.route.ServerNames;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.SocketAddress;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's {@code ignore_invalid_headers} and {@code underscores_in_headers}: a request header whose name is anything
 * but letters, digits and {@code -} ({@code _} too where underscores are allowed) is dropped before anything reads
 * the request, the JWT token lookup, {@code $http_*} and the proxy alike. A client's {@code X_User} thus never
 * reaches a backend next to the {@code X-User} the gateway sets, where CGI-style backends would map both to one
 * variable. Names with bytes nginx answers 400 for (controls, space, DEL) never get here: the decoder rejects them.
 *
 * <p>As in nginx, each header line is judged by the settings of the server chosen so far: the address's default
 * server (or the one the host of an absolute-form request target names) until the {@code Host} header, then the
 * server that header names. One filter per request head.
 */
final class InvalidHeaderNames implements BiPredicate<CharSequence, CharSequence> {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /** How much of a dropped header line the log line quotes. */
    private static final int LOGGED = 64;

    private final AddressServers servers;
    private final SocketAddress client;
    /** The host whose server's settings apply now; {@code null} for the default server's. */
    private String host;
    private boolean hostFixed;
    /** The settings for {@link #host}, looked up only when a name needs them. */
    private CoreLocConf settings;

    private InvalidHeaderNames(AddressServers servers, String requestLineHost, SocketAddress client) {
        this.servers = servers;
        this.host = requestLineHost;
        this.hostFixed = requestLineHost != null;
        this.client = client;
    }

    /**
     * Drops the headers with invalid names, each with nginx's info-level log line. {@code requestLineHost} is the host
     * of an absolute-form target, which then chooses the server instead of the {@code Host} header; otherwise
     * {@code null}.
     */
    static void drop(HttpHeaders headers, AddressServers servers, String requestLineHost, SocketAddress client) {
        FlatHttpHeaders flat = (FlatHttpHeaders) headers;
        for (int i = 0; i < flat.size(); i++) {
            if (!valid(flat.name(i), false)) {
                // rare: only then is a filter made and a server's settings looked up
                flat.removeIf(new InvalidHeaderNames(servers, requestLineHost, client));
                return;
            }
        }
    }

    /** Whether nginx's header parser takes {@code name} as valid: letters, digits, {@code -}, maybe {@code _}. */
    private static boolean valid(CharSequence name, boolean underscores) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                    || c == '_' && underscores)) {
                return false;
            }
        }
        return true;
    }

    /** Whether to drop this header. */
    @Override
    public boolean test(CharSequence name, CharSequence value) {
        if (valid(name, false)) {
            if (!hostFixed && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)) {
                // the Host header chooses the server whose settings judge the lines after it
                hostFixed = true;
                host = value.toString();
                settings = null;
            }
            return false;
        }
        CoreLocConf conf = settings();
        if (!conf.ignoreInvalidHeaders() || valid(name, conf.underscoresInHeaders())) {
            return false;
        }
        String line = name + ": " + value;
        log.info("client sent invalid header line: \"{}\", client: {}",
                line.length() > LOGGED ? line.substring(0, LOGGED) + "..." : line, ErrorContext.client(client));
        return true;
    }

    private CoreLocConf settings() {
        if (settings == null) {
            String normalized = host == null ? null : ServerNames.normalizeHost(host);
            // a malformed Host is answered 400 after this; until then the default server's settings hold
            settings = (normalized == null ? servers.defaultServer() : servers.select(normalized).server())
                    .conf().conf().core();
        }
        return settings;
    }
}
