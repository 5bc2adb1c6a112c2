package io.jwtgate.proxy.cache;

import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.NotModified;
import io.jwtgate.core.http.RangeAnswer;
import io.jwtgate.core.http.Ranges;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.CharsetUtil;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The answer from a cache entry (HIT, STALE, UPDATING, REVALIDATED), as nginx's {@code ngx_http_upstream_cache_send}
 * gives it: the stored head and body, through nginx's not-modified filter, which a cached response never disables
 * ({@code r->disable_not_modified = !u->cacheable}): a conditional request gets its 304 or 412
 * (docs/cache.md#conditional-requests); and through nginx's range filter when the upstream sent
 * {@code Accept-Ranges} (docs/cache.md#ranges).
 */
final class CachedAnswer {

    private CachedAnswer() {
    }

    /** Answers {@code x} on {@code down} with {@code e}, its body in memory; returns the future of the head. */
    static ChannelFuture send(HttpExchange x, Downstream down, CacheEntry e) {
        HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, e.status());
        HttpHeaders h = resp.headers();
        for (String[] kv : e.headers()) {
            // the upstream's Last-Modified stays among the others, as the proxy relays it
            h.add(kv[0].equalsIgnoreCase("Last-Modified") ? new Response.ListedName(kv[0]) : kv[0], kv[1]);
        }
        boolean bodyless = e.status().code() == 204 || e.status().code() == 304;
        if (!bodyless && !e.headOnly()) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, e.bodyLength());
        }
        int precondition = NotModified.apply(x, resp);
        if (precondition == 412) {
            return StatusPages.send(x, down, 412, StatusPages.page(412));
        }
        RangeAnswer ranges = null;
        if (h.contains(HttpHeaderNames.ACCEPT_RANGES)) {
            // nginx: the upstream allowed ranges, so the cached response is answered in ranges, with the range
            // filter's own Accept-Ranges
            h.remove(HttpHeaderNames.ACCEPT_RANGES);
            Ranges read = precondition == 304 || bodyless ? null : Ranges.read(x, e.bodyLength(),
                    h.get(HttpHeaderNames.ETAG), NotModified.lastModified(h), x.location().core().maxRanges());
            if (read != null && read.outcome() == Ranges.Outcome.NOT_SATISFIABLE) {
                return StatusPages.send(x, down, 416, unsatisfiable(resp, e.bodyLength()));
            }
            if (read != null) {
                ranges = new RangeAnswer(read.outcome() == Ranges.Outcome.WHOLE ? null : read.ranges(),
                        e.bodyLength());
                x.allowRanges(ranges);
            }
        }
        ChannelFuture f = down.sendHead(resp);
        if (precondition == 304 || down.request().method() == HttpMethod.HEAD || bodyless || e.bodyLength() == 0) {
            down.endResponse(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (ranges != null && ranges.parts() != null) {
            sendParts(down, e.body(), ranges);
        } else {
            down.endResponse(new DefaultLastHttpContent(Unpooled.wrappedBuffer(e.body())));
        }
        return f;
    }

    /**
     * The 416 page for a {@code Range} past the end of {@code size} bytes, with the response's headers but those
     * nginx's special response clears (type, length, {@code Last-Modified}, {@code ETag}), then
     * {@code Content-Range}.
     */
    static Response unsatisfiable(HttpResponse resp, long size) {
        Response page = StatusPages.page(416);
        for (Map.Entry<String, String> kv : resp.headers()) {
            if (!CLEARED.contains(kv.getKey().toLowerCase(Locale.ROOT))) {
                page = page.withHeader(kv.getKey(), kv.getValue());
            }
        }
        return page.withHeader("Content-Range", "bytes */" + size);
    }

    private static final Set<String> CLEARED = Set.of("content-type", "content-length", "last-modified", "etag");

    /** The parts of a 206 (the range filter made it one), from the body in memory. */
    private static void sendParts(Downstream down, byte[] body, RangeAnswer ranges) {
        for (RangeAnswer.Part p : ranges.parts()) {
            if (p.header() != null) {
                down.sendBody(new DefaultHttpContent(Unpooled.copiedBuffer(p.header(), CharsetUtil.US_ASCII)));
            }
            down.sendBody(new DefaultHttpContent(Unpooled.wrappedBuffer(body, (int) p.offset(), (int) p.length())));
        }
        String trailer = ranges.trailer();
        down.endResponse(trailer == null ? LastHttpContent.EMPTY_LAST_CONTENT
                : new DefaultLastHttpContent(Unpooled.copiedBuffer(trailer, CharsetUtil.US_ASCII)));
    }
}
