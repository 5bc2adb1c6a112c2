package io.jwtgate.proxy.cache;

import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.NotModified;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.http.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.util.Set;

/**
 * The {@link Downstream} the proxy writes to when a request goes through the cache: it passes everything on to the
 * real downstream and copies the response (up to {@link CacheRequest#MAX_STORED_BODY}) to store it once it ended
 * whole; when {@code proxy_cache_use_stale} allows, it answers a failed upstream ({@link #upstreamFailed}) or a
 * {@code 5xx} head with the stale entry instead, and then swallows the rest of the upstream response.
 *
 * <p>Lives on the request's event loop. Takes ownership of what it is given, as {@link Downstream} says, and passes
 * it on or releases it. Completes its fill exactly once, whatever way the request ends.
 */
public final class CacheFill implements Downstream {

    private final CacheRequest r;
    private final Downstream down;
    private final Fill fill;
    private final boolean background;
    /** Whether the response may be stored, as the request went upstream (nginx's {@code u->cacheable}). */
    private final boolean cacheable;
    private boolean store;
    private CacheEntry entry;
    private ByteArrayOutputStream body;
    private boolean diverted;
    /** The range the client gets of the body (nginx's range filter on a cacheable response), or null. */
    private StreamRange range;
    /** False once the not-modified filter made the answer a 304: the body then only goes into the cache. */
    private boolean bodyToClient = true;
    private Channel channel;
    /** The upstream's head as it came, and the headers the decision to store must not look at. */
    private HttpHeaders validity;
    private Set<String> ignored = Set.of();

    /** {@code background}: the client has its answer already ({@code proxy_cache_background_update}). */
    CacheFill(CacheRequest r, Downstream down, Fill fill, boolean store, boolean background) {
        this.r = r;
        this.down = down;
        this.fill = fill;
        this.store = store;
        this.cacheable = store;
        this.background = background;
    }

    /**
     * Whether the response may be stored (the request is not past {@code proxy_cache_lock_timeout}, below
     * {@code proxy_cache_min_uses} or declined by {@code proxy_cache_max_range_offset}): the request head then asks
     * for the whole response, with the validators of the entry it revalidates.
     */
    public boolean cacheable() {
        return cacheable;
    }

    /**
     * The proxy could not get a response ({@code status} 502 for an error, 504 for a timeout, or another status it
     * would answer with). Returns true when the stale entry was served instead, or had been already for a refresh
     * in the background, so that the proxy must not answer.
     */
    public boolean upstreamFailed(int status) {
        if (diverted) {
            return true;
        }
        if (background) {
            complete(false);
            return true;
        }
        if (r.staleForFailure(status)) {
            diverted = true;
            r.serveStale();
            complete(true);
            return true;
        }
        r.zone.metrics.count(r.status());
        complete(false);
        return false;
    }

    /**
     * The upstream's headers as it sent them, before the proxy hid any (its {@code X-Accel-Expires} is meant for this
     * cache alone), and the lower-case names {@code proxy_ignore_headers} lists, which are not looked at. A response
     * not {@code buffered} ({@code proxy_buffering off}, {@code X-Accel-Buffering: no}) is not stored, as in nginx.
     */
    public void validityHeaders(HttpHeaders upstream, Set<String> ignoredNames, boolean buffered) {
        validity = upstream;
        ignored = ignoredNames;
        if (!buffered) {
            store = false;
        }
    }

    /**
     * The upstream's response is not the answer ({@code X-Accel-Redirect}): nothing is stored and the fill ends, so
     * that requests waiting for it go on.
     */
    public void abandon() {
        store = false;
        complete(false);
    }

    // ---- the response

    @Override
    public ChannelFuture sendHead(HttpResponse head) {
        int code = head.status().code();
        if (r.revalidates(code)) {
            // proxy_cache_revalidate: the expired entry is the answer, fresh again; the 304 goes nowhere
            diverted = true;
            store = false;
            ChannelFuture f = r.revalidated(validity != null ? validity : head.headers(), ignored, background,
                    () -> complete(false));
            channel = (f != null ? f : down.sendHead(head)).channel(); // in the background it goes nowhere
            return channel.newSucceededFuture();
        }
        if (r.staleForStatus(code)) {
            diverted = true;
            ChannelFuture f = r.serveStale();
            channel = f.channel();
            complete(true);
            return channel.newSucceededFuture();
        }
        HttpHeaders decisive = validity != null ? validity : head.headers();
        if (store && r.noCache()) {
            store = false; // proxy_no_cache
        }
        if (store) {
            // before the real downstream's header filters add theirs
            entry = r.cacheable(head, decisive, ignored);
            if (entry == null) {
                store = false;
            } else {
                body = new ByteArrayOutputStream();
            }
        }
        if (!background) {
            r.zone.metrics.count(r.status());
        }
        // nginx's not-modified filter, once the entry copied the head, unless the request would not store or the
        // upstream's headers refuse caching; proxy_no_cache and proxy_cache_valid come after it there
        boolean filtered = cacheable && !background && !Storable.refused(decisive, ignored, r.zone.clock.millis());
        int precondition = filtered ? NotModified.apply(r.exchange(), head) : NotModified.PASS;
        if (precondition == 412) {
            return refuse(412, StatusPages.page(412));
        }
        range = filtered && precondition == NotModified.PASS ? StreamRange.allow(r.exchange(), head) : null;
        if (range != null && range.unsatisfiable()) {
            return refuse(416, CachedAnswer.unsatisfiable(head, range.size()));
        }
        bodyToClient = precondition != 304;
        ChannelFuture f = down.sendHead(head);
        channel = f.channel();
        if (range != null && !range.cutting()) {
            range = null;
        }
        return f;
    }

    /**
     * A filter refused the response (412, 416): the client gets {@code page} for {@code code} and, as nginx
     * finalizes the upstream request with it, nothing is stored; the rest of the upstream's response is dropped.
     */
    private ChannelFuture refuse(int code, Response page) {
        diverted = true;
        store = false;
        channel = StatusPages.send(r.exchange(), down, code, page).channel();
        complete(false);
        return channel.newSucceededFuture();
    }

    @Override
    public ChannelFuture sendBody(HttpContent content) {
        if (diverted) {
            content.release();
            return channel.newSucceededFuture();
        }
        collect(content.content());
        if (!bodyToClient) {
            content.release();
            return channel.newSucceededFuture();
        }
        if (range != null) {
            ByteBuf part = range.cut(content.content());
            return part == null ? channel.newSucceededFuture() : down.sendBody(new DefaultHttpContent(part));
        }
        return down.sendBody(content);
    }

    @Override
    public void endResponse(LastHttpContent last) {
        if (diverted) {
            last.release();
            return;
        }
        collect(last.content());
        if (!bodyToClient) {
            // the 304 ends with the upstream's response, which goes on into the cache, as nginx's header_only
            last.release();
            last = LastHttpContent.EMPTY_LAST_CONTENT;
        } else if (range != null) {
            ByteBuf part = range.cut(last.content());
            last = part == null ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent(part);
        }
        down.endResponse(last);
        if (store) {
            store = false;
            r.zone.store(r.hash, entry, body.toByteArray(), () -> complete(false));
        } else {
            complete(false);
        }
    }

    @Override
    public void abort(String reason) {
        store = false;
        if (diverted) {
            return;
        }
        down.abort(reason);
        complete(false);
    }

    /** A tunnel is not a response to store (nginx frees the cache entry); the fill completes when it closes. */
    @Override
    public Channel upgrade(HttpResponse head, ChannelHandler relay) {
        store = false;
        return down.upgrade(head, relay);
    }

    private void collect(ByteBuf buf) {
        if (!store) {
            return;
        }
        int n = buf.readableBytes();
        if (body.size() + n > CacheRequest.MAX_STORED_BODY) {
            store = false;
            body = null;
            return;
        }
        byte[] bytes = new byte[n];
        buf.getBytes(buf.readerIndex(), bytes);
        body.write(bytes, 0, n);
    }

    private void complete(boolean servedStale) {
        if (fill != null) {
            fill.complete(servedStale);
        }
    }

    // ---- the rest is the real downstream's

    @Override
    public boolean headSent() {
        return diverted || down.headSent();
    }

    @Override
    public void onClose(Runnable listener) {
        down.onClose(() -> {
            store = false;
            complete(false);
            listener.run();
        });
    }

    @Override
    public HttpRequest request() {
        return down.request();
    }

    @Override
    public EventLoop loop() {
        return down.loop();
    }

    @Override
    public Transport transport() {
        return down.transport();
    }

    @Override
    public boolean hasBody() {
        return down.hasBody();
    }

    @Override
    public long contentLength() {
        return down.contentLength();
    }

    @Override
    public void readBody(BodyReader reader) {
        down.readBody(reader);
    }

    @Override
    public void requestBody() {
        down.requestBody();
    }
}
