package io.jwtgate.proxy;

import io.jwtgate.core.codec.FlatHttpHeaders;
import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.ComplexValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request head a location sends upstream, compiled once per location (nginx's {@code headers_merged}): the
 * {@code proxy_set_header} lines followed by nginx's defaults they do not override ({@code Host $proxy_host},
 * {@code Connection close}), constant lines pre-encoded, the names not to copy from the client, and whether client
 * headers are passed at all. Immutable.
 */
final class RequestHead {

    /** One {@code proxy_set_header}. */
    record SetHeader(String name, ComplexValue value) {
    }

    /**
     * A header line: pre-encoded when constant, else a name prefix and a value to evaluate, or no value for a value
     * the proxy knows without a variable lookup ({@code source}: the request's {@code $proxy_host}, or a validator
     * of the entry the cache revalidates).
     */
    private record Line(byte[] constant, byte[] prefix, ComplexValue value, int source) {
        Line(byte[] constant, byte[] prefix, ComplexValue value) {
            this(constant, prefix, value, PROXY_HOST_SOURCE);
        }
    }

    private static final int PROXY_HOST_SOURCE = 0;
    private static final int LAST_MODIFIED_SOURCE = 1;
    private static final int ETAG_SOURCE = 2;
    private static final ComplexValue EMPTY = ComplexValue.constant("");
    /**
     * nginx's {@code ngx_http_proxy_cache_headers}: a request that may fill the cache asks for the whole response,
     * unconditionally, but for the validators of the entry it revalidates ({@code proxy_cache_revalidate}).
     */
    private static final List<String> CACHE_CLEARED = List.of("If-Unmodified-Since", "If-Match", "Range",
            "If-Range");

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HTTP10 = " HTTP/1.0\r\n".getBytes(CharsetUtil.US_ASCII);
    private static final byte[] HTTP11 = " HTTP/1.1\r\n".getBytes(CharsetUtil.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(CharsetUtil.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(CharsetUtil.US_ASCII);
    /** Client headers nginx never passes: its defaults set them, or set them empty. */
    private static final List<String> HOP_BY_HOP = List.of("Host", "Connection", "Content-Length",
            "Transfer-Encoding", "TE", "Keep-Alive", "Expect", "Upgrade");
    private static final int MAX_SKIP_LENGTH = 64;
    /** nginx's default {@code Host: $proxy_host}, written from the request's proxy host. */
    private static final ComplexValue PROXY_HOST = ComplexValue.constant("$proxy_host");

    private final Line[] lines;
    private final AsciiString[][] skipByLength;
    private final boolean passHeaders;
    private final boolean framingSet;

    private RequestHead(Line[] lines, AsciiString[][] skipByLength, boolean passHeaders, boolean framingSet) {
        this.lines = lines;
        this.skipByLength = skipByLength;
        this.passHeaders = passHeaders;
        this.framingSet = framingSet;
    }

    /**
     * Compiles the head of one location.
     *
     * @param set the location's {@code proxy_set_header} lines, in order
     * @param constantProxyHost the value of {@code $proxy_host} when {@code proxy_pass} has no variables, else null
     */
    static RequestHead compile(List<SetHeader> set, String constantProxyHost, boolean passHeaders) {
        return compile(set, constantProxyHost, passHeaders, false);
    }

    /**
     * Compiles the head of one location for the requests that may fill its cache: the client's conditional and
     * {@code Range} headers are not passed, and the validators of an entry being revalidated are sent instead,
     * unless {@code proxy_set_header} sets those headers itself.
     */
    static RequestHead compileForCache(List<SetHeader> set, String constantProxyHost, boolean passHeaders) {
        return compile(set, constantProxyHost, passHeaders, true);
    }

    private static RequestHead compile(List<SetHeader> set, String constantProxyHost, boolean passHeaders,
            boolean forCache) {
        Map<String, SetHeader> merged = new LinkedHashMap<>();
        for (SetHeader h : set) {
            merged.putIfAbsent(h.name().toLowerCase(Locale.ROOT), h);
        }
        merged.putIfAbsent("host", new SetHeader("Host", PROXY_HOST));
        merged.putIfAbsent("connection", new SetHeader("Connection", ComplexValue.constant("close")));
        List<Line> lines = new ArrayList<>();
        List<String> skip = new ArrayList<>(HOP_BY_HOP);
        if (forCache) {
            for (String name : CACHE_CLEARED) {
                merged.putIfAbsent(name.toLowerCase(Locale.ROOT), new SetHeader(name, EMPTY));
            }
        }
        for (SetHeader h : merged.values()) {
            skip.add(h.name());
            ComplexValue v = h.value();
            if (isProxyHost(v)) {
                if (constantProxyHost == null) {
                    lines.add(new Line(null, (h.name() + ": ").getBytes(StandardCharsets.UTF_8), null));
                    continue;
                }
                v = ComplexValue.constant(constantProxyHost);
            }
            if (v.isConstant()) {
                if (!v.constant().isEmpty()) {
                    lines.add(new Line((h.name() + ": " + v.constant() + "\r\n").getBytes(StandardCharsets.UTF_8),
                            null, null));
                }
            } else {
                lines.add(new Line(null, (h.name() + ": ").getBytes(StandardCharsets.UTF_8), v));
            }
        }
        if (forCache) {
            for (String name : List.of("If-Modified-Since", "If-None-Match")) {
                if (!merged.containsKey(name.toLowerCase(Locale.ROOT))) {
                    skip.add(name);
                    lines.add(new Line(null, (name + ": ").getBytes(StandardCharsets.US_ASCII), null,
                            name.equals("If-None-Match") ? ETAG_SOURCE : LAST_MODIFIED_SOURCE));
                }
            }
        }
        AsciiString[][] byLength = new AsciiString[MAX_SKIP_LENGTH + 1][];
        for (String name : skip) {
            if (name.length() > MAX_SKIP_LENGTH) {
                continue; // such a client header is simply passed; nginx would drop it
            }
            AsciiString[] old = byLength[name.length()];
            AsciiString[] grown = old == null ? new AsciiString[1] : Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = AsciiString.cached(name);
            byLength[name.length()] = grown;
        }
        boolean framingSet = merged.containsKey("content-length") || merged.containsKey("transfer-encoding");
        return new RequestHead(lines.toArray(new Line[0]), byLength, passHeaders, framingSet);
    }

    private static boolean isProxyHost(ComplexValue v) {
        return v.raw().equals("$proxy_host") || v.raw().equals("${proxy_host}");
    }

    private boolean skipped(CharSequence name) {
        int n = name.length();
        if (n > MAX_SKIP_LENGTH) {
            return false;
        }
        AsciiString[] candidates = skipByLength[n];
        if (candidates == null) {
            return false;
        }
        for (AsciiString c : candidates) {
            if (c.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Encodes the head.
     *
     * @param proxyHost the request's {@code $proxy_host}
     * @param bodyLength the body length to declare, -1 for a chunked body, -2 for no body (and no framing header)
     * @param revalidate the {@code Last-Modified} and {@code ETag} of the entry the cache revalidates (either may
     *     be {@code null}), for a head {@link #compileForCache compiled for the cache}; else {@code null}
     * @return a new buffer the caller owns
     */
    ByteBuf encode(ByteBufAllocator alloc, HttpExchange x, HttpHeaders clientHeaders, String method, String uri,
            String proxyHost, boolean http11, long bodyLength, String[] revalidate) {
        ByteBuf b = alloc.buffer(512);
        b.writeCharSequence(method, CharsetUtil.ISO_8859_1);
        b.writeByte(' ');
        b.writeCharSequence(uri, CharsetUtil.ISO_8859_1);
        b.writeBytes(http11 ? HTTP11 : HTTP10);
        for (Line l : lines) {
            if (l.constant != null) {
                b.writeBytes(l.constant);
                continue;
            }
            String v = l.value != null ? l.value.evaluate(x)
                    : l.source == PROXY_HOST_SOURCE ? proxyHost
                    : revalidate == null ? null : revalidate[l.source == LAST_MODIFIED_SOURCE ? 0 : 1];
            if (v == null || v.isEmpty()) {
                continue;
            }
            b.writeBytes(l.prefix);
            b.writeCharSequence(WireText.encode(v), CharsetUtil.ISO_8859_1);
            b.writeBytes(CRLF);
        }
        if (!framingSet) {
            if (bodyLength >= 0) {
                b.writeBytes(CONTENT_LENGTH);
                b.writeCharSequence(Long.toString(bodyLength), CharsetUtil.US_ASCII);
                b.writeBytes(CRLF);
            } else if (bodyLength == -1) {
                b.writeBytes(CHUNKED);
            }
        }
        if (passHeaders) {
            if (clientHeaders instanceof FlatHttpHeaders flat) { // a decoded request: walked without an iterator
                for (int i = 0; i < flat.size(); i++) {
                    passOn(b, flat.name(i), flat.value(i));
                }
            } else {
                for (Iterator<Map.Entry<CharSequence, CharSequence>> it = clientHeaders.iteratorCharSequence();
                        it.hasNext();) {
                    Map.Entry<CharSequence, CharSequence> e = it.next();
                    passOn(b, e.getKey(), e.getValue());
                }
            }
        }
        b.writeBytes(CRLF);
        return b;
    }

    /** A client header line, unless it is one the proxy drops or sets itself. */
    private void passOn(ByteBuf b, CharSequence name, CharSequence value) {
        if (skipped(name)) {
            return;
        }
        b.writeCharSequence(name, CharsetUtil.ISO_8859_1);
        b.writeByte(':');
        b.writeByte(' ');
        b.writeCharSequence(value, CharsetUtil.ISO_8859_1);
        b.writeBytes(CRLF);
    }
}
