package io.jwtgate.proxy.cache;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.Setters;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The proxy module's cache (nginx's {@code proxy_cache*} directives): the directive table, the merge of the
 * per-location settings, the zones of {@code proxy_cache_path}, and the request entry point. The proxy module owns
 * the configuration slots and calls in at each step; everything else stays in this package. See
 * {@code docs/cache.md}.
 *
 * <p>One instance per proxy module; the clock serves both freshness ({@code proxy_cache_valid}) and
 * {@code inactive}, so tests move time instead of sleeping.
 */
public final class ProxyCache {

    /** Sends the request upstream, writing the response to {@code through}. */
    @FunctionalInterface
    public interface Upstream {
        void start(CacheFill through);
    }

    /** The http-wide state: the zones by name, and every {@code proxy_cache} reference to resolve. */
    public static final class Zones {
        final Map<String, CacheZone> byName = new LinkedHashMap<>();
        final List<CacheConf.ZoneRef> refs = new ArrayList<>();
    }

    private static final Set<Integer> DEFAULT_VALID_CODES = Set.of(200, 301, 302);
    private static final Map<String, Integer> STALE = Map.ofEntries(
            Map.entry("error", CacheConf.STALE_ERROR), Map.entry("timeout", CacheConf.STALE_TIMEOUT),
            Map.entry("updating", CacheConf.STALE_UPDATING),
            Map.entry("invalid_header", CacheConf.STALE_INVALID_HEADER),
            Map.entry("http_500", CacheConf.STALE_HTTP_500), Map.entry("http_502", CacheConf.STALE_HTTP_502),
            Map.entry("http_503", CacheConf.STALE_HTTP_503), Map.entry("http_504", CacheConf.STALE_HTTP_504),
            Map.entry("http_403", CacheConf.STALE_HTTP_403), Map.entry("http_404", CacheConf.STALE_HTTP_404),
            Map.entry("http_429", CacheConf.STALE_HTTP_429));

    private final InstantSource clock;

    public ProxyCache(InstantSource clock) {
        this.clock = clock;
    }

    // ---- directives

    /**
     * The cache directives, storing into the proxy module's drafts: {@code draft} gives (creating it) the cache part
     * of a level's draft, {@code zones} the cache part of the http-wide state.
     */
    public <D, M> List<Directive> directives(LocSlot<D, ?> slot, Function<D, CacheConf.Draft> draft,
            MainSlot<M> main, Function<M, Zones> zones) {
        Set<Context> hsl = Directive.httpServerLocation();
        return List.of(
                Directive.of("proxy_cache_path", EnumSet.of(Context.HTTP), Arity.ONE_OR_MORE,
                        (cx, d) -> cachePath(cx, d, zones.apply(cx.main(main)))),
                Directive.of("proxy_cache", hsl, Arity.TAKE1,
                        (cx, d) -> cache(d, draft.apply(cx.loc(slot)), zones.apply(cx.main(main)))),
                Directive.of("proxy_cache_key", hsl, Arity.TAKE1, (cx, d) -> {
                    CacheConf.Draft c = draft.apply(cx.loc(slot));
                    Setters.checkUnset(d, c.key);
                    c.key = cx.compile(d, d.arg(0));
                }),
                Directive.of("proxy_cache_valid", hsl, Arity.ONE_OR_MORE,
                        (cx, d) -> valid(d, draft.apply(cx.loc(slot)))),
                Directive.of("proxy_cache_use_stale", hsl, Arity.ONE_OR_MORE,
                        (cx, d) -> useStale(d, draft.apply(cx.loc(slot)))),
                Directive.of("proxy_cache_lock", hsl, Arity.TAKE1,
                        Setters.flag(slot, c -> draft.apply(c).lock, (c, v) -> draft.apply(c).lock = v)),
                Directive.of("proxy_cache_lock_timeout", hsl, Arity.TAKE1, Setters.millis(slot,
                        c -> draft.apply(c).lockTimeoutMs, (c, v) -> draft.apply(c).lockTimeoutMs = v)),
                Directive.of("proxy_cache_lock_age", hsl, Arity.TAKE1, Setters.millis(slot,
                        c -> draft.apply(c).lockAgeMs, (c, v) -> draft.apply(c).lockAgeMs = v)),
                Directive.of("proxy_cache_background_update", hsl, Arity.TAKE1, Setters.flag(slot,
                        c -> draft.apply(c).backgroundUpdate, (c, v) -> draft.apply(c).backgroundUpdate = v)),
                Directive.of("proxy_cache_bypass", hsl, Arity.ONE_OR_MORE, (cx, d) -> {
                    CacheConf.Draft c = draft.apply(cx.loc(slot));
                    for (String a : d.args()) {
                        c.addBypass(cx.compile(d, a));
                    }
                }),
                Directive.of("proxy_no_cache", hsl, Arity.ONE_OR_MORE, (cx, d) -> {
                    CacheConf.Draft c = draft.apply(cx.loc(slot));
                    for (String a : d.args()) {
                        c.addNoCache(cx.compile(d, a));
                    }
                }),
                Directive.of("proxy_cache_methods", hsl, Arity.ONE_OR_MORE,
                        (cx, d) -> methods(cx, d, draft.apply(cx.loc(slot)))),
                Directive.of("proxy_cache_convert_head", hsl, Arity.TAKE1, Setters.flag(slot,
                        c -> draft.apply(c).convertHead, (c, v) -> draft.apply(c).convertHead = v)),
                Directive.of("proxy_cache_min_uses", hsl, Arity.TAKE1, Setters.number(slot,
                        c -> draft.apply(c).minUses, (c, v) -> draft.apply(c).minUses = v)),
                Directive.of("proxy_cache_revalidate", hsl, Arity.TAKE1, Setters.flag(slot,
                        c -> draft.apply(c).revalidate, (c, v) -> draft.apply(c).revalidate = v)),
                Directive.of("proxy_cache_max_range_offset", hsl, Arity.TAKE1, Setters.bytes(slot,
                        c -> draft.apply(c).maxRangeOffset, (c, v) -> draft.apply(c).maxRangeOffset = v)));
    }

    /**
     * {@code proxy_cache_methods GET|HEAD|POST ...} (case ignored): GET and HEAD are always cached, so only POST
     * changes anything. As nginx's bitmask setter, the lines of one level add up and a word named twice is a warning.
     */
    private static void methods(ConfContext cx, ConfDirective d, CacheConf.Draft c) throws ConfException {
        Set<String> seen = c.methodsSeen;
        for (String a : d.args()) {
            String m = ConfValues.lower(a);
            if (!m.equals("get") && !m.equals("head") && !m.equals("post")) {
                throw d.error("invalid value \"%s\"", a);
            }
            if (!seen.add(m)) {
                cx.warn(d, "duplicate value \"" + a + "\"");
            }
        }
        c.post = seen.contains("post");
    }

    /** {@code proxy_cache_path path [levels=] keys_zone=name:size [inactive=] [max_size=] [use_temp_path=]}. */
    private void cachePath(ConfContext cx, ConfDirective d, Zones zones) throws ConfException {
        Path dir = cx.resolvePath(d.arg(0));
        int[] levels = new int[0];
        String name = null;
        long zoneSize = 0;
        long inactive = 600_000;
        long maxSize = 0;
        for (String p : d.args().subList(1, d.args().size())) {
            if (p.startsWith("levels=")) {
                String[] parts = p.substring(7).split(":", -1);
                if (parts.length > 3) {
                    throw d.error("invalid \"levels\" \"%s\"", p.substring(7));
                }
                levels = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    if (!parts[i].equals("1") && !parts[i].equals("2")) {
                        throw d.error("invalid \"levels\" \"%s\"", p.substring(7));
                    }
                    levels[i] = parts[i].charAt(0) - '0';
                }
            } else if (p.startsWith("keys_zone=")) {
                String v = p.substring(10);
                int colon = v.lastIndexOf(':');
                if (colon <= 0) {
                    throw d.error("invalid keys zone size \"%s\"", p);
                }
                name = v.substring(0, colon);
                zoneSize = ConfValues.bytes(v.substring(colon + 1));
                if (zoneSize < 8192) {
                    throw d.error("invalid keys zone size \"%s\"", p);
                }
            } else if (p.startsWith("inactive=")) {
                inactive = ConfValues.millis(p.substring(9));
                if (inactive <= 0) {
                    throw d.error("invalid inactive value \"%s\"", p);
                }
            } else if (p.startsWith("max_size=")) {
                maxSize = ConfValues.bytes(p.substring(9));
                if (maxSize <= 0) {
                    throw d.error("invalid max_size value \"%s\"", p);
                }
            } else if (p.startsWith("use_temp_path=")) {
                if (ConfValues.flag(p.substring(14)) == null) {
                    throw d.error("invalid use_temp_path value \"%s\", it must be \"on\" or \"off\"", p.substring(14));
                }
            } else {
                throw d.error("invalid parameter \"%s\"", p);
            }
        }
        if (name == null) {
            throw d.error("\"proxy_cache_path\" must have \"keys_zone\" parameter");
        }
        if (zones.byName.containsKey(name)) {
            throw d.error("duplicate zone \"%s\"", name);
        }
        checkWritable(d, dir);
        zones.byName.put(name, new CacheZone(name, dir, levels, zoneSize, inactive, maxSize, clock));
    }

    /**
     * The cache directory must exist or be creatable, and be writable: nginx fails at start-up otherwise. As nginx's,
     * the mkdir() creates the last component only.
     */
    private static void checkWritable(ConfDirective d, Path dir) throws ConfException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // nginx ignores EEXIST here; a file in the way fails the write check below
        } catch (IOException | SecurityException e) {
            throw d.error("mkdir() \"%s\" failed (%s)", dir, Errno.describe(e));
        }
        try {
            Path probe = Files.createTempFile(dir, ".probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw d.error("cache path \"%s\" is not writable (%s)", dir, Errno.describe(e));
        }
    }

    private static void cache(ConfDirective d, CacheConf.Draft c, Zones zones) throws ConfException {
        if (c.zone != null || c.off) {
            throw d.error("\"proxy_cache\" directive is duplicate");
        }
        if (d.arg(0).indexOf('$') >= 0) {
            throw d.error("variables in \"proxy_cache\" are not supported");
        }
        if (d.arg(0).equals("off")) {
            c.off = true;
            return;
        }
        c.zone = new CacheConf.ZoneRef(d.arg(0), d);
        zones.refs.add(c.zone);
    }

    /** {@code proxy_cache_valid [code ...|any] time}; several lines at one level add up. */
    private static void valid(ConfDirective d, CacheConf.Draft c) throws ConfException {
        List<String> args = d.args();
        long ms = ConfValues.millis(args.get(args.size() - 1));
        if (ms < 0) {
            throw d.error("invalid time value \"%s\"", args.get(args.size() - 1));
        }
        if (args.size() == 1) {
            c.addValid(new CacheConf.Valid(DEFAULT_VALID_CODES.stream().mapToInt(Integer::intValue).sorted()
                    .toArray(), ms));
            return;
        }
        List<Integer> codes = new ArrayList<>();
        for (String a : args.subList(0, args.size() - 1)) {
            if (a.equals("any")) {
                c.addValid(new CacheConf.Valid(new int[0], ms));
                continue;
            }
            int code = ConfValues.number(a);
            if (code < 200 || code > 599) {
                throw d.error("invalid status \"%s\"", a);
            }
            codes.add(code);
        }
        if (!codes.isEmpty()) {
            c.addValid(new CacheConf.Valid(codes.stream().mapToInt(Integer::intValue).toArray(), ms));
        }
    }

    private static void useStale(ConfDirective d, CacheConf.Draft c) throws ConfException {
        Setters.checkUnset(d, c.useStale);
        int mask = 0;
        for (String a : d.args()) {
            if (a.equals("off")) {
                if (d.args().size() > 1) {
                    throw d.error("invalid value \"off\" in \"%s\" directive", d.name());
                }
                continue;
            }
            Integer bit = STALE.get(a);
            if (bit == null) {
                throw d.error("invalid value \"%s\" in \"%s\" directive", a, d.name());
            }
            mask |= bit;
        }
        c.useStale = mask;
    }

    // ---- merge and init

    public CacheConf merge(CacheConf parent, CacheConf.Draft draft) {
        return CacheConf.merge(parent, draft);
    }

    /**
     * Resolves every {@code proxy_cache} zone name and registers the zones to start and stop with the configuration.
     */
    public void postconfiguration(HttpInit init, Zones zones) throws ConfException {
        for (CacheConf.ZoneRef ref : zones.refs) {
            CacheZone z = zones.byName.get(ref.name);
            if (z == null) {
                throw ref.where.error("\"proxy_cache\" zone \"%s\" is unknown", ref.name);
            }
            ref.zone = z;
        }
        for (CacheZone z : zones.byName.values()) {
            init.addLifecycle(z);
        }
        CacheMetrics.measure(init.metrics(), zones.byName.values());
    }

    // ---- requests

    /** Whether the request's method is cached here: GET and HEAD, POST too when {@code proxy_cache_methods} says so. */
    public boolean caches(HttpExchange x, CacheConf conf) {
        String m = x.method();
        return m.equals("GET") || m.equals("HEAD") || conf.post() && m.equals("POST");
    }

    /**
     * Prepares the way through the cache of a request whose method it {@linkplain #caches caches};
     * {@link CacheRequest#start()} then serves it from there or calls {@code upstream} with the downstream to write
     * to. The proxy module's per-request state ({@code $proxy_host}, a buffered body) must be set already, since
     * the key may use it; {@code proxyHost} is its value, for the default key.
     */
    public CacheRequest prepare(HttpExchange x, CacheConf conf, String proxyHost, Upstream upstream) {
        String key = conf.key() != null ? conf.key().evaluate(x)
                : x.scheme() + proxyHost + WireText.decode(x.requestUri()); // $scheme$proxy_host$request_uri
        return new CacheRequest(x, x.downstream(), conf, key, upstream);
    }
}
