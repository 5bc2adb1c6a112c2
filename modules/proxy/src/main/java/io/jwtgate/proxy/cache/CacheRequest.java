package io.jwtgate.proxy.cache;

import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.ComplexValue;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One request's way through the cache (nginx's {@code ngx_http_upstream_cache}): evaluates the key, serves a fresh
 * entry (HIT), a stale one while another request refreshes it (UPDATING), waits for a fill in flight under
 * {@code proxy_cache_lock}, or sends the request upstream through a {@link CacheFill} that stores the response (MISS,
 * EXPIRED, BYPASS) and serves the stale entry when the upstream fails as {@code proxy_cache_use_stale} allows
 * (STALE), or when the upstream answers 304 to its validators ({@code proxy_cache_revalidate}, REVALIDATED); with
 * {@code proxy_cache_background_update} it serves the expired entry at once (STALE) and refreshes it behind. A key
 * asked for fewer than {@code proxy_cache_min_uses} times goes upstream without being stored. Its
 * {@link #status()} is {@code $upstream_cache_status}.
 *
 * <p>Lives on the request's event loop; zone I/O results come back to it there.
 */
public final class CacheRequest {

    /** Bodies up to this size are stored; bigger responses pass through uncached. */
    static final int MAX_STORED_BODY = 1024 * 1024;

    final CacheZone zone;
    final CacheConf conf;
    final String key;
    final String hash;
    private final HttpExchange x;
    private final Downstream down;
    private final ProxyCache.Upstream upstream;
    private final boolean head;
    /** A {@code HEAD} sent upstream as it is ({@code proxy_cache_convert_head off}): its answer is a head only. */
    private final boolean headUpstream;

    private String status;
    private CacheEntry stale;
    /** The expired entry whose validators go upstream ({@code proxy_cache_revalidate}), with its body; or null. */
    private CacheEntry revalidating;
    /** {@code proxy_cache_min_uses}: this request's use of the key, counted once; 0 before. */
    private int uses;
    private Fill waitedFor;
    private boolean waitStarted;
    private long waitDeadline;

    CacheRequest(HttpExchange x, Downstream down, CacheConf conf, String key, ProxyCache.Upstream upstream) {
        this.x = x;
        this.down = down;
        this.conf = conf;
        this.zone = conf.zone().zone;
        this.key = key;
        this.hash = EntryFile.hash(key);
        this.upstream = upstream;
        this.head = down.request().method() == HttpMethod.HEAD;
        this.headUpstream = head && !conf.convertHead();
    }

    /** Whether the request, a {@code HEAD}, goes upstream as {@code GET} ({@code proxy_cache_convert_head}). */
    public boolean convertsHead() {
        return head && conf.convertHead();
    }

    /**
     * The {@code If-Modified-Since} and {@code If-None-Match} values that revalidate the expired entry (nginx's
     * {@code $upstream_cache_last_modified} and {@code $upstream_cache_etag}): the stored {@code Last-Modified}
     * (as an HTTP date) and {@code ETag} of a 200 or 206; {@code null} when none is to be sent.
     */
    public String[] validators() {
        CacheEntry e = revalidating;
        if (e == null || e.status().code() != 200 && e.status().code() != 206) {
            return null;
        }
        return new String[] {Storable.httpDate(e.header("Last-Modified")), e.header("ETag")};
    }

    /**
     * {@code $upstream_cache_status}: HIT, MISS, EXPIRED, STALE, UPDATING, REVALIDATED or BYPASS; {@code null} before
     * the lookup.
     */
    public String status() {
        return status;
    }

    // ---- lookup

    /** Serves the request from the cache or sends it upstream; may finish the request before it returns. */
    public void start() {
        if (any(conf.bypass())) {
            status = "BYPASS";
            go(zone.startFill(hash, conf.lockAgeMs()), null, true);
            return;
        }
        lookup();
    }

    /** nginx's {@code ngx_http_test_predicates}: whether any value is neither empty nor {@code 0}. */
    private boolean any(List<ComplexValue> predicates) {
        for (ComplexValue v : predicates) {
            String s = v.evaluate(x);
            if (s != null && !s.isEmpty() && !s.equals("0")) {
                return true;
            }
        }
        return false;
    }

    /** {@code proxy_no_cache}, asked once the upstream's head is in (so {@code $upstream_http_*} may be used). */
    boolean noCache() {
        return any(conf.noCache());
    }

    /**
     * {@code proxy_cache_min_uses}: whether the key, without an entry, has been asked for fewer times than that;
     * the response is then neither locked for nor stored (nginx's {@code NGX_HTTP_CACHE_SCARCE}).
     */
    private boolean scarce() {
        if (conf.minUses() <= 1) {
            return false;
        }
        if (uses == 0) {
            uses = zone.use(hash);
        }
        return uses < conf.minUses();
    }

    /** {@code proxy_cache_max_range_offset}: the response to the client's {@code Range} is not stored. */
    private boolean rangeDeclined() {
        return Storable.rangeDeclined(conf.maxRangeOffset(), down.request().headers().get(HttpHeaderNames.RANGE));
    }

    private void lookup() {
        CacheEntry e = zone.get(hash);
        if (e == null && !zone.loaded()) {
            zone.readFromDisk(hash, down.loop(), this::decide);
            return;
        }
        decide(e);
    }

    private void decide(CacheEntry found) {
        // a head-only entry answers only a HEAD; for anything else it is as absent and replaced
        CacheEntry e = found != null && found.key().equals(key) && (head || !found.headOnly()) ? found : null;
        if (e == null && scarce()) {
            go(null, null, false);
            return;
        }
        if (e != null && e.isFresh(zone.clock.millis())) {
            status = "HIT";
            serve(e);
            return;
        }
        if (e != null && waitedFor != null && waitedFor.servedStale()) {
            status = "STALE";
            serve(e);
            return;
        }
        Fill f = zone.fill(hash);
        if (f != null && e != null && staleWhileUpdating(e)) {
            status = "UPDATING";
            serve(e);
            return;
        }
        if (f != null && !conf.lock()) {
            go(null, e, !rangeDeclined());
            return;
        }
        if (f != null && f.locks()) {
            if (mayWait()) {
                await(f);
            } else {
                go(null, e, false); // nginx: after proxy_cache_lock_timeout, passed upstream and not cached
            }
            return;
        }
        Fill mine = zone.startFill(hash, conf.lockAgeMs()); // takes over from a fill past proxy_cache_lock_age
        if (mine == null) {
            decide(found); // another request registered a fill just now
            return;
        }
        if (e != null && conf.backgroundUpdate() && staleWhileUpdating(e) && !down.hasBody()) {
            refreshInBackground(e, mine);
            return;
        }
        go(mine, e, !rangeDeclined());
    }

    /**
     * Whether the expired entry may be served while it is refreshed: {@code proxy_cache_use_stale updating}, or the
     * response's own {@code stale-while-revalidate} still covers it, as in nginx.
     */
    private boolean staleWhileUpdating(CacheEntry e) {
        return conf.staleWhileUpdating() || e.staleWhileUpdating(zone.clock.millis());
    }

    /** {@code proxy_cache_lock_timeout} runs from the first wait, across the fills waited for (nginx's wait_time). */
    private boolean mayWait() {
        long now = System.nanoTime();
        if (!waitStarted) {
            waitStarted = true;
            waitDeadline = now + TimeUnit.MILLISECONDS.toNanos(conf.lockTimeoutMs());
        }
        return waitDeadline - now > 0;
    }

    /**
     * {@code proxy_cache_lock}: waits for the fill in flight, then looks again: when it completes, when its lock age
     * passes, or when the lock timeout does, whichever comes first.
     */
    private void await(Fill f) {
        waitedFor = f;
        boolean[] resumed = new boolean[1];
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        Runnable resume = () -> {
            if (resumed[0]) {
                return;
            }
            resumed[0] = true;
            if (timer[0] != null) {
                timer[0].cancel(false);
            }
            lookup();
        };
        if (!f.await(down.loop(), resume)) {
            lookup();
            return;
        }
        long until = f.lockedUntil() - waitDeadline < 0 ? f.lockedUntil() : waitDeadline;
        timer[0] = down.loop().schedule(resume, Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /**
     * {@code proxy_cache_background_update}: answers with the expired entry at once (STALE), then sends the request
     * upstream with a downstream that only the cache reads, as nginx's background subrequest does.
     */
    private void refreshInBackground(CacheEntry e, Fill mine) {
        status = "STALE";
        withBody(e, full -> {
            if (full == null) {
                status = "MISS"; // the file is gone: fill it in the foreground
                go(mine, null, true);
                return;
            }
            Channel ch = send(full).channel();
            revalidating = conf.revalidate() ? full : null;
            upstream.start(new CacheFill(this, new BackgroundDownstream(down, ch), mine, true, true));
        });
    }

    /** Sends the request upstream; {@code e} is the expired entry, kept to be served if the upstream fails. */
    private void go(Fill fill, CacheEntry e, boolean store) {
        if (status == null || status.equals("HIT") || status.equals("STALE")) {
            status = e != null ? "EXPIRED" : "MISS";
        }
        stale = e;
        boolean revalidate = e != null && store && conf.revalidate();
        revalidating = revalidate ? e : null;
        if (e != null && e.body() == null && (conf.useStale() != 0 || e.stale().errorMs() > 0 || revalidate)) {
            // load the stale body now, so that a failure or a 304 can be answered at once
            zone.readBody(hash, e, down.loop(), full -> {
                stale = full;
                revalidating = revalidate ? full : null;
                upstream.start(new CacheFill(this, down, fill, store, false));
            });
            return;
        }
        upstream.start(new CacheFill(this, down, fill, store, false));
    }

    private void serve(CacheEntry e) {
        withBody(e, full -> {
            if (full != null) {
                send(full);
                return;
            }
            status = "MISS"; // the file is gone
            go(zone.startFill(hash, conf.lockAgeMs()), null, !rangeDeclined());
        });
    }

    /** Hands over {@code e} with its body, read from the file when only the file holds it; {@code null} if gone. */
    private void withBody(CacheEntry e, Consumer<CacheEntry> then) {
        if (e.body() != null) {
            then.accept(e);
            return;
        }
        zone.readBody(hash, e, down.loop(), then);
    }

    private ChannelFuture send(CacheEntry e) {
        zone.metrics.count(status);
        return CachedAnswer.send(x, down, e);
    }

    // ---- what the fill asks

    /**
     * Whether an upstream failure ending with {@code code} (502 error, 504 timeout) may be answered stale: as
     * {@code proxy_cache_use_stale} says, or while the response's own {@code stale-if-error} covers it.
     */
    boolean staleForFailure(int code) {
        int u = conf.useStale();
        return stale != null && stale.body() != null
                && ((code == 502 && (u & CacheConf.STALE_ERROR) != 0)
                || (code == 504 && (u & CacheConf.STALE_TIMEOUT) != 0)
                || (code == 502 || code == 504) && stale.staleOnError(zone.clock.millis()));
    }

    /** Whether an upstream response with {@code code} may be replaced by the stale entry ({@code http_500} ...). */
    boolean staleForStatus(int code) {
        if (stale == null || stale.body() == null) {
            return false;
        }
        int bit = switch (code) {
            case 500 -> CacheConf.STALE_HTTP_500;
            case 502 -> CacheConf.STALE_HTTP_502;
            case 503 -> CacheConf.STALE_HTTP_503;
            case 504 -> CacheConf.STALE_HTTP_504;
            case 403 -> CacheConf.STALE_HTTP_403;
            case 404 -> CacheConf.STALE_HTTP_404;
            case 429 -> CacheConf.STALE_HTTP_429;
            default -> 0;
        };
        return (conf.useStale() & bit) != 0;
    }

    /** The entry to store for a response head, or {@code null} when it must not be cached; see {@link Storable}. */
    CacheEntry cacheable(HttpResponse resp, HttpHeaders validity, Set<String> ignored) {
        return Storable.entry(conf, key, zone.clock.millis(), resp, validity, ignored, headUpstream);
    }

    /** The client's request, whose conditions a cacheable response answers ({@link CacheFill#sendHead}). */
    HttpExchange exchange() {
        return x;
    }

    /** Whether an upstream {@code 304} answers the revalidation of the expired entry. */
    boolean revalidates(int code) {
        return code == 304 && revalidating != null;
    }

    /**
     * {@code proxy_cache_revalidate}: the upstream answered 304, so the expired entry is fresh again (for the time
     * {@link Storable#revalidated} gives) and is the answer ({@code REVALIDATED}), unless the client has had its
     * answer already ({@code background}); {@code done} runs once the entry is stored, or at once if not refreshed.
     * Returns the future of the answer's head, or {@code null} in the background.
     */
    ChannelFuture revalidated(HttpHeaders notModified, Set<String> ignored, boolean background, Runnable done) {
        CacheEntry e = revalidating;
        long now = zone.clock.millis();
        long valid = Storable.revalidated(conf, e, notModified, ignored, now);
        if (valid > 0) {
            zone.store(hash, e.validUntil(now + valid), e.body(), done);
        } else {
            done.run();
        }
        if (background) {
            return null;
        }
        status = "REVALIDATED";
        return send(e);
    }

    /** Answers with the stale entry (its body is in memory, see {@link #go}). */
    ChannelFuture serveStale() {
        status = "STALE";
        return send(stale);
    }
}
