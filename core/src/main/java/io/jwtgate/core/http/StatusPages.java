package io.jwtgate.core.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx's status lines and default pages, as nginx 1.22 sends them (its header filter's status table, its special
 * response pages). A code outside the table goes out as {@code "HTTP/1.1 418 "}, with no reason phrase; a code of
 * 400 or more without a page gets an empty body. The pages are nginx's, signed {@code jwtgate/<version>} where nginx
 * signs with {@code nginx/<version>}, or {@code jwtgate} with {@code server_tokens off} ({@link #signed}). Checked
 * against stock nginx by {@code ResponseHeadDifferentialTest}.
 */
public final class StatusPages {

    private static final int CODES = 1000;
    private static final String[] REASONS = new String[CODES];
    /** The title of each status that has a page, when it is not simply the status line. */
    private static final String[] TITLES = new String[CODES];
    private static final HttpResponseStatus[] STATUSES = new HttpResponseStatus[CODES];
    private static final Response[] PAGES = new Response[CODES];
    private static final Response EMPTY = new Response(null, new byte[0], List.of());
    /** Each page's body signed with the version, to the same page signed with the name only. */
    private static final Map<byte[], byte[]> UNVERSIONED = new IdentityHashMap<>();
    /** The {@code Server} header: with the version, and the name alone for {@code server_tokens off}. */
    private static final AsciiString SERVER_VERSIONED = AsciiString.cached(Product.NAME + "/" + Product.VERSION);
    private static final AsciiString SERVER = AsciiString.cached(Product.NAME);

    static {
        reasons(200, "OK", "Created", "Accepted", null, "No Content", null, "Partial Content");
        reasons(301, "Moved Permanently", "Moved Temporarily", "See Other", "Not Modified", null, null,
                "Temporary Redirect", "Permanent Redirect");
        reasons(400, "Bad Request", "Unauthorized", "Payment Required", "Forbidden", "Not Found", "Not Allowed",
                "Not Acceptable", null, "Request Time-out", "Conflict", "Gone", "Length Required",
                "Precondition Failed", "Request Entity Too Large", "Request-URI Too Large", "Unsupported Media Type",
                "Requested Range Not Satisfiable");
        reasons(421, "Misdirected Request");
        reasons(429, "Too Many Requests");
        reasons(500, "Internal Server Error", "Not Implemented", "Bad Gateway", "Service Temporarily Unavailable",
                "Gateway Time-out", "HTTP Version Not Supported", null, "Insufficient Storage");
        int[] paged = {301, 302, 303, 307, 308, 400, 401, 402, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414,
            415, 416, 421, 429, 494, 495, 496, 497, 498, 500, 501, 502, 503, 504, 505, 507};
        for (int code : paged) {
            TITLES[code] = code + " " + REASONS[code];
        }
        TITLES[302] = "302 Found";
        TITLES[401] = "401 Authorization Required";
        TITLES[494] = "400 Request Header Or Cookie Too Large";
        TITLES[495] = "400 The SSL certificate error";
        TITLES[496] = "400 No required SSL certificate was sent";
        TITLES[497] = "400 The plain HTTP request was sent to HTTPS port";
        TITLES[498] = "404 Not Found";
        for (int code = 0; code < CODES; code++) {
            // nginx's own codes 494-497 are sent as 400
            int wire = code >= 494 && code <= 497 ? 400 : code;
            String reason = REASONS[wire] == null ? "" : REASONS[wire];
            STATUSES[code] = new HttpResponseStatus(wire, reason);
            if (TITLES[code] != null) {
                PAGES[code] = Response.of("text/html", html(code, Product.NAME + "/" + Product.VERSION));
                UNVERSIONED.put(PAGES[code].body(), html(code, Product.NAME).getBytes(StandardCharsets.UTF_8));
            } else {
                PAGES[code] = EMPTY;
            }
        }
    }

    private StatusPages() {
    }

    private static void reasons(int first, String... reasons) {
        for (int i = 0; i < reasons.length; i++) {
            REASONS[first + i] = reasons[i];
        }
    }

    /** nginx's page: the title as heading, except its own 49x codes, which explain a "400 Bad Request" below it. */
    private static String html(int code, String signature) {
        String title = TITLES[code];
        boolean own = code >= 494 && code <= 497;
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>"
                + (own ? "400 Bad Request" : title) + "</h1></center>\r\n"
                + (own ? "<center>" + title.substring(4) + "</center>\r\n" : "")
                + "<hr><center>" + signature + "</center>\r\n</body>\r\n</html>\r\n";
    }

    /**
     * Answers {@code code} with {@code page} (signed as the location says) on {@code down}, in place of a streamed
     * response whose head a filter refused, as nginx's filters finalize a request with a status page.
     */
    public static ChannelFuture send(HttpExchange x, Downstream down, int code, Response page) {
        Response r = signed(page, x.location().core().serverTokens());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status(code));
        HttpHeaders h = head.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        h.set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        for (String[] kv : r.headers()) {
            h.add(kv[0], kv[1]);
        }
        ChannelFuture f = down.sendHead(head);
        down.endResponse(new DefaultLastHttpContent(Unpooled.wrappedBuffer(r.body())));
        return f;
    }

    /**
     * {@code r} as {@code server_tokens} signs it: a page of {@link #page} (headers added or not) keeps its version
     * with {@code tokens} on, and loses it with off, as nginx's {@code ngx_http_error_tail}; any other response is
     * left as it is.
     */
    public static Response signed(Response r, boolean tokens) {
        byte[] plain = tokens ? null : UNVERSIONED.get(r.body());
        return plain == null ? r : new Response(r.contentType(), plain, r.headers());
    }

    /** nginx's {@code ngx_http_msie_padding}: appended to its own error pages for MSIE and Chrome. */
    private static final byte[] PADDING = ("<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n")
            .repeat(6).getBytes(StandardCharsets.US_ASCII);

    /**
     * {@code r} with nginx's {@code msie_padding} after it when it is one of the pages of {@link #page} (signed or
     * not), which MSIE and Chrome would replace with their own when they are this short; else {@code r}.
     */
    public static Response padded(Response r) {
        if (!UNVERSIONED.containsKey(r.body()) && !UNVERSIONED.containsValue(r.body())) {
            return r;
        }
        byte[] body = Arrays.copyOf(r.body(), r.body().length + PADDING.length);
        System.arraycopy(PADDING, 0, body, r.body().length, PADDING.length);
        return new Response(r.contentType(), body, r.headers());
    }

    /** The {@code Server} header {@code server_tokens} asks for. */
    public static AsciiString server(boolean tokens) {
        return tokens ? SERVER_VERSIONED : SERVER;
    }

    /** The status to send for {@code code} (0-999), with nginx's reason phrase. */
    public static HttpResponseStatus status(int code) {
        return STATUSES[code];
    }

    /**
     * The response nginx sends when a request ends with {@code code} and nothing else: its page (redirects and most
     * errors), or an empty body without a type.
     */
    public static Response page(int code) {
        return PAGES[code];
    }
}
