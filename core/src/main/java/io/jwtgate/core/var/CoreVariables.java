package io.jwtgate.core.var;

import io.jwtgate.core.codec.HostName;
import io.jwtgate.core.codec.InetText;
import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.Product;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The core's variables ({@code ngx_http_variables.c}): request line, headers, connection, timing. */
public final class CoreVariables {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /**
     * nginx's {@code $time_local} and {@code $time_iso8601}: whole seconds, in the process's time zone ({@code TZ}),
     * the offset always as digits ({@code +0000}, {@code +00:00}, never {@code Z}).
     */
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss xx", Locale.ROOT);
    private static final DateTimeFormatter ISO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

    private CoreVariables() {
    }

    /** Variables over the request line and headers are text: their bytes decoded ({@link WireText}). */
    public static void define(Variables v) {
        // nginx's NOCACHEABLE ones: a rewrite, an internal redirect or an error page changes them mid-request
        v.define("uri", (x, d) -> x.uri(), null, Variables.NOCACHE);
        v.define("document_uri", (x, d) -> x.uri(), null, Variables.NOCACHE);
        // a subrequest reads its client request's line, as nginx's share it
        def(v, "request_uri", (x, d) -> WireText.decode(x.mainRequest().requestUri()));
        v.define("args", (x, d) -> WireText.decode(x.args()), CoreVariables::setArgs, null,
                Variables.NOCACHE | Variables.CHANGEABLE);
        v.define("query_string", (x, d) -> WireText.decode(x.args()), null, Variables.NOCACHE);
        v.define("is_args", (x, d) -> x.args() != null ? "?" : "", null, Variables.NOCACHE);
        v.define("request_method", (x, d) -> x.method(), null, Variables.NOCACHE);
        def(v, "server_protocol", (x, d) -> x.protocol());
        def(v, "request", (x, d) -> WireText.decode(x.mainRequest().requestLine()));
        def(v, "scheme", (x, d) -> x.scheme());
        def(v, "https", (x, d) -> "https".equals(x.scheme()) ? "on" : "");
        def(v, "host", (x, d) -> x.host());
        def(v, "remote_addr", (x, d) -> InetText.text(x.remoteAddress().getAddress()));
        def(v, "binary_remote_addr", (x, d) -> WireText.ofBytes(x.remoteAddress().getAddress().getAddress()));
        def(v, "remote_port", (x, d) -> port(x.remoteAddress().getPort()));
        def(v, "remote_user", (x, d) -> null);
        def(v, "server_addr", (x, d) -> x.localAddress().getAddress().getHostAddress());
        def(v, "server_port", (x, d) -> Integer.toString(x.localAddress().getPort()));
        def(v, "server_name", (x, d) -> x.server().primaryName());
        def(v, "hostname", (x, d) -> HostName.NAME);
        def(v, "pid", (x, d) -> Host.PID);
        def(v, "content_length", (x, d) -> x.header("Content-Length"));
        def(v, "content_type", (x, d) -> WireText.decode(x.header("Content-Type")));
        // the PROXY protocol header's addresses; not found without one, a port of 0 shows empty (docs/realip.md)
        def(v, "proxy_protocol_addr", (x, d) -> proxyProtocol(x, ProxyProtocolAddresses::sourceAddress));
        def(v, "proxy_protocol_port", (x, d) -> proxyProtocol(x, a -> port(a.sourcePort())));
        def(v, "proxy_protocol_server_addr", (x, d) -> proxyProtocol(x, ProxyProtocolAddresses::destinationAddress));
        def(v, "proxy_protocol_server_port", (x, d) -> proxyProtocol(x, a -> port(a.destinationPort())));
        v.define("status", (x, d) -> x.status() == 0 ? "000" : Integer.toString(x.status()), null,
                Variables.NOCACHE);
        v.define("body_bytes_sent", (x, d) -> Long.toString(x.bodyBytesSent()), null, Variables.NOCACHE);
        v.define("limit_rate", (x, d) -> Long.toString(x.limitRate()), CoreVariables::setLimitRate, null,
                Variables.CHANGEABLE | Variables.NOCACHE);
        v.define("request_time", (x, d) -> requestTime(x), null, Variables.NOCACHE);
        v.define("msec", (x, d) -> msec(), null, Variables.NOCACHE);
        v.define("time_iso8601", (x, d) -> ISO_TIME.format(localNow()), null, Variables.NOCACHE);
        v.define("time_local", (x, d) -> LOCAL_TIME.format(localNow()), null, Variables.NOCACHE);
        v.define("request_length", (x, d) -> Long.toString(x.wire().requestLength()), null, Variables.NOCACHE);
        v.define("bytes_sent", (x, d) -> Long.toString(x.wire().bytesSent()), null, Variables.NOCACHE);
        def(v, "connection", (x, d) -> Long.toString(x.wire().connectionNumber()));
        def(v, "connection_requests", (x, d) -> Integer.toString(x.wire().connectionRequests()));
        v.define("connection_time", (x, d) -> seconds(System.nanoTime() - x.wire().connectedAtNanos()), null,
                Variables.NOCACHE);
        def(v, "request_id", (x, d) -> requestId());
        def(v, "nginx_version", (x, d) -> Product.VERSION);
        for (String field : new String[] {"rtt", "rttvar", "snd_cwnd", "rcv_space"}) {
            def(v, "tcpinfo_" + field, (x, d) -> x.wire().tcpInfo(field));
        }
        v.definePrefix("sent_http_", (x, d) -> WireText.decode(x.wire().sentHeader((String) d)), Variables.NOCACHE);
        // nginx's add_trailer sets them, and jwtgate sends no trailers
        v.definePrefix("sent_trailer_", (x, d) -> null, Variables.NOCACHE);
        v.definePrefix("http_", (x, d) -> header(x, (String) d), 0);
        v.definePrefix("arg_", (x, d) -> WireText.decode(arg(x.args(), (String) d)), Variables.NOCACHE);
        v.definePrefix("cookie_", (x, d) -> WireText.decode(cookie(x.headers("Cookie"), (String) d)), 0);
    }

    /** {@code set $args ...}: the new query string, with no reroute (nginx's {@code ngx_http_variable_set_args}). */
    private static void setArgs(HttpExchange x, String value, Object data) {
        x.setUri(x.uri(), value.isEmpty() ? null : WireText.encode(value), false);
    }

    /** {@code set $limit_rate size}: the response's rate, as nginx's set handler reads it. */
    private static void setLimitRate(HttpExchange x, String value, Object data) {
        long rate = ConfValues.bytes(value);
        if (rate < 0) {
            log.error("invalid $limit_rate \"{}\"{}", value, ErrorContext.of(x));
            return;
        }
        x.setLimitRate(rate);
    }

    private static String proxyProtocol(HttpExchange x, Function<ProxyProtocolAddresses, String> part) {
        ProxyProtocolAddresses a = x.proxyProtocol();
        return a == null ? null : part.apply(a);
    }

    /**
     * A port as nginx's {@code $remote_port} and {@code $proxy_protocol_port} show it: empty when unknown (0: an
     * address realip read without one, a PROXY protocol header without ports).
     */
    public static String port(int port) {
        return port > 0 ? Integer.toString(port) : "";
    }

    private static void def(Variables v, String name, VariableGetter g) {
        v.define(name, g, null, 0);
    }

    /**
     * {@code $http_NAME}: the request headers {@link HttpExchange#variableHeaders} finds for {@code NAME}, as text
     * ({@link WireText}); several occurrences are joined as nginx joins them ({@code ; } for Cookie).
     */
    static String header(HttpExchange x, String name) {
        List<String> values = x.variableHeaders(name);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() == 1) {
            return WireText.decode(values.get(0));
        }
        return WireText.decode(String.join(name.equalsIgnoreCase("cookie") ? "; " : ", ", values));
    }

    /** {@code $arg_NAME}: the raw (undecoded) value of the first argument named {@code name}, case-insensitively. */
    public static String arg(String args, String name) {
        if (args == null) {
            return null;
        }
        int n = args.length();
        int i = 0;
        while (i <= n) {
            int amp = args.indexOf('&', i);
            if (amp < 0) {
                amp = n;
            }
            int eq = args.indexOf('=', i);
            int keyEnd = eq >= 0 && eq < amp ? eq : amp;
            if (keyEnd - i == name.length() && args.regionMatches(true, i, name, 0, name.length())) {
                return keyEnd == amp ? "" : args.substring(keyEnd + 1, amp);
            }
            i = amp + 1;
        }
        return null;
    }

    /** {@code $cookie_NAME}: the value of the first cookie named {@code name} (case-sensitive name, as nginx). */
    public static String cookie(List<String> headers, String name) {
        for (String h : headers) {
            int i = 0;
            int n = h.length();
            while (i < n) {
                while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == ';' || h.charAt(i) == ',')) {
                    i++;
                }
                int end = h.indexOf(';', i);
                if (end < 0) {
                    end = n;
                }
                int eq = h.indexOf('=', i);
                if (eq > 0 && eq < end && eq - i == name.length() && h.regionMatches(i, name, 0, name.length())) {
                    return h.substring(eq + 1, end).trim();
                }
                i = end + 1;
            }
        }
        return null;
    }

    private static String requestTime(HttpExchange x) {
        return seconds(System.nanoTime() - x.startNanos());
    }

    /** A duration as nginx writes {@code $request_time}: seconds with milliseconds ({@code 0.012}). */
    private static String seconds(long nanos) {
        long ms = Math.max(0, nanos / 1_000_000);
        return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    }

    /**
     * nginx's {@code $request_id}: 16 random bytes in hex, the same for the whole request. Not from a cryptographic
     * source: it names a request, it guards nothing.
     */
    private static String requestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format(Locale.ROOT, "%016x%016x", r.nextLong(), r.nextLong());
    }

    /** Now in the default zone, read each time so that a change of offset (summer time) shows as in nginx. */
    private static ZonedDateTime localNow() {
        return ZonedDateTime.now(ZoneId.systemDefault());
    }

    private static String msec() {
        long ms = System.currentTimeMillis();
        return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    }

    /** What the process knows of itself, read once: its pid (nginx's is the worker's). */
    private static final class Host {
        static final String PID = Long.toString(ProcessHandle.current().pid());
    }
}
