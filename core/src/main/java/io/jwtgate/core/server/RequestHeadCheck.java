package io.jwtgate.core.server;

import io.jwtgate.core.http.AddressServers;
import io.jwtgate.core.http.route.ServerNames;
import io.jwtgate.core.http.route.UriNormalizer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.Map;

/**
 * The request head judged as nginx's {@code ngx_http_process_request_headers} and
 * {@code ngx_http_process_request_header} judge it, after the request line ({@link RequestLineCheck}): header line
 * length, duplicate {@code Host}, {@code Authorization} and {@code Content-Length}, unknown transfer codings, the
 * host (from an absolute-form target or {@code Host}) and the path. The outcome is what the request asks for, or a
 * refusal with nginx's status and words.
 */
final class RequestHeadCheck {

    /**
     * What a request that passed asks for.
     *
     * @param uri the normalised path
     * @param args the query string, or {@code null}
     * @param host the normalised host, or {@code null} for an HTTP/1.0 request without one
     */
    record Target(String uri, String args, String host) {
    }

    /** Exactly one of {@code target} and {@code refusal} is set. */
    record Outcome(Target target, RequestLineCheck.Refusal refusal) {
        static Outcome refused(int status, String reason) {
            return new Outcome(null, new RequestLineCheck.Refusal(status, reason));
        }
    }

    private RequestHeadCheck() {
    }

    /**
     * Checks {@code req}, whose request line passed; drops the header names {@code servers}' default server does not
     * accept ({@code ignore_invalid_headers}), logging them as from {@code client}.
     */
    static Outcome check(HttpRequest req, AddressServers servers, SocketAddress client) {
        RequestLineCheck.Refusal line = RequestLineCheck.refusal(req);
        if (line != null) {
            return new Outcome(null, line);
        }
        HttpHeaders h = req.headers();
        // nginx's large_client_header_buffers size: no header line may be longer
        int maxHeaderLine = servers.defaultServer().conf().conf().core().largeHeaderBufferSize();
        String firstHost = null;
        int hosts = 0;
        int authorizations = 0;
        int lengths = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            if (name.length() + e.getValue().length() + 4 > maxHeaderLine) {
                CharSequence start = name.length() > 32 ? name.subSequence(0, 32) : name;
                return Outcome.refused(494, "client sent too long header line: \"" + start + "...\"");
            }
            if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)) {
                if (hosts++ == 0) {
                    firstHost = e.getValue().toString();
                }
            } else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.AUTHORIZATION)) {
                authorizations++;
            } else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONTENT_LENGTH)) {
                lengths++;
            }
        }
        if (hosts > 1) {
            return Outcome.refused(400, "client sent duplicate host header");
        }
        if (authorizations > 1) {
            return Outcome.refused(400, "client sent duplicate Authorization header");
        }
        if (lengths > 1) {
            return Outcome.refused(400, "client sent duplicate Content-Length header");
        }
        String te = h.get(HttpHeaderNames.TRANSFER_ENCODING);
        if (te != null && !te.equalsIgnoreCase("chunked")) {
            return Outcome.refused(501, "client sent unknown \"Transfer-Encoding\": \"" + te + "\"");
        }
        String target = req.uri();
        String host = firstHost;
        boolean absoluteForm = !target.startsWith("/");
        if (absoluteForm) {
            // absolute-form: the host in the request line wins over the Host header
            int schemeEnd = target.indexOf("://");
            if (schemeEnd <= 0) {
                return Outcome.refused(400, "client sent invalid request target");
            }
            int pathStart = target.indexOf('/', schemeEnd + 3);
            host = target.substring(schemeEnd + 3, pathStart < 0 ? target.length() : pathStart);
            target = pathStart < 0 ? "/" : target.substring(pathStart);
        }
        InvalidHeaderNames.drop(h, servers, absoluteForm ? host : null, client);
        if (host == null && req.protocolVersion().minorVersion() >= 1) {
            return Outcome.refused(400, "client sent HTTP/1.1 request without \"Host\" header");
        }
        String normalizedHost = null;
        if (host != null) {
            normalizedHost = ServerNames.normalizeHost(host);
            if (normalizedHost == null) {
                return Outcome.refused(400, "client sent invalid host header");
            }
        }
        int q = target.indexOf('?');
        // nginx parses the URI with the settings of the address's default server: the host is not known yet
        boolean mergeSlashes = servers.defaultServer().conf().conf().core().wire().mergeSlashes();
        String uri = UriNormalizer.normalize(q < 0 ? target : target.substring(0, q), mergeSlashes);
        if (uri == null) {
            return Outcome.refused(400, "client sent invalid request URI");
        }
        return new Outcome(new Target(uri, q < 0 ? null : target.substring(q + 1), normalizedHost), null);
    }
}
