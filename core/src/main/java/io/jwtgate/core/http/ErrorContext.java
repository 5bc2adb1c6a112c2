package io.jwtgate.core.http;

import io.jwtgate.core.codec.InetText;
import io.jwtgate.core.codec.WireText;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The request context nginx appends to an error line about a request ({@code ngx_http_log_error_handler}):
 * {@code , client: ADDR, server: NAME, request: "LINE"}, then {@code , subrequest: "URI"} inside a subrequest,
 * {@code , upstream: "URL"} once an upstream is chosen, {@code , host: "HOST"} and {@code , referrer: "REFERER"} when
 * the client sent them. Client, server, request line, {@code Host} and {@code Referer} are the client request's, even
 * in a subrequest; {@code Host} is the header as sent (case and port kept), not {@code $host}.
 */
public final class ErrorContext {

    private ErrorContext() {
    }

    /** The context of {@code x}, which has no upstream. */
    public static String of(HttpExchange x) {
        return of(x, null);
    }

    /**
     * The context of {@code x}.
     *
     * @param upstream the upstream as nginx names it, scheme, peer and URI ({@code http://127.0.0.1:8081/a?b}), or
     *     {@code null} when there is none
     */
    public static String of(HttpExchange x, String upstream) {
        HttpExchange main = x.mainRequest();
        StringBuilder sb = new StringBuilder(160)
                .append(", client: ").append(client(main.remoteAddress()))
                .append(", server: ").append(main.server().primaryName())
                .append(", request: \"").append(WireText.decode(main.requestLine())).append('"');
        if (x != main) {
            sb.append(", subrequest: \"").append(x.uri()).append('"');
        }
        if (upstream != null) {
            sb.append(", upstream: \"").append(upstream).append('"');
        }
        quoted(sb, ", host: \"", main.header("Host"));
        quoted(sb, ", referrer: \"", main.header("Referer"));
        return sb.toString();
    }

    /**
     * A client's address as nginx writes it in the error log, {@code 127.0.0.1} or {@code ::1}: no port, no slash
     * (Java's {@code /127.0.0.1:5678}), IPv6 as nginx writes it ({@link InetText#text}).
     */
    public static String client(SocketAddress address) {
        return address instanceof InetSocketAddress a && a.getAddress() != null
                ? InetText.text(a.getAddress()) : String.valueOf(address);
    }

    private static void quoted(StringBuilder sb, String label, String headerValue) {
        if (headerValue != null) {
            sb.append(label).append(WireText.decode(headerValue)).append('"');
        }
    }
}
