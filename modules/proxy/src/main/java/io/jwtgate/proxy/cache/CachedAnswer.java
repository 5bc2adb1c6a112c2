package io.jwtgate.proxy.cache;

import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.NotModified;
import io.jwtgate.core.http.Response;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The answer from a cache entry (HIT, STALE, UPDATING, REVALIDATED), as nginx's {@code ngx_http_upstream_cache_send}
 * gives it: the stored head and body, through nginx's not-modified filter, which a cached response never disables
 * ({@code r->disable_not_modified = !u->cacheable}): a conditional request gets its 304 or 412
 * (docs/cache.md#conditional-requests).
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
            return NotModified.preconditionFailed(x, down);
        }
        ChannelFuture f = down.sendHead(resp);
        if (precondition == 304 || down.request().method() == HttpMethod.HEAD || bodyless || e.bodyLength() == 0) {
            down.endResponse(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            down.endResponse(new DefaultLastHttpContent(Unpooled.wrappedBuffer(e.body())));
        }
        return f;
    }
}
