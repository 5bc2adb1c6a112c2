package io.jwtgate.gzip;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.ResponseHeaders;
import io.jwtgate.core.http.route.NginxRegex;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.DirectiveSetter;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.PatternSyntaxException;

/**
 * nginx's gzip filter and the gzip settings of its core module: {@code gzip}, {@code gzip_types},
 * {@code gzip_min_length}, {@code gzip_comp_level}, {@code gzip_buffers} (accepted: buffers are the JVM's business),
 * {@code gzip_proxied}, {@code gzip_vary}, {@code gzip_disable}, {@code gzip_http_version}. Its header filter runs
 * after {@code add_header}'s and {@code gunzip}'s, as nginx's filter order has it, and installs a {@link GzipBody}
 * on the responses it compresses (docs/gzip.md).
 */
public final class GzipModule extends HttpModule {

    /** The directives' values at one level; {@code null} where unset. */
    static final class Draft {
        Boolean enabled;
        Set<String> types;
        boolean anyType;
        Long minLength;
        Integer level;
        Boolean vary;
        Integer proxied;
        List<NginxRegex> disable;
        boolean disableMsie6;
        Boolean http10;
        Boolean gunzip;
        Precompressed gzipStatic;
    }

    private static final Map<String, Boolean> HTTP_VERSIONS = Map.of("1.0", true, "1.1", false);

    private static final Map<String, Precompressed> GZIP_STATIC = Map.of("off", Precompressed.OFF, "on",
            Precompressed.ON, "always", Precompressed.ALWAYS);

    private static final GzipConf DEFAULTS = new GzipConf(false, Set.of("text/html"), 20, 1, false, GzipOk.OFF,
            List.of(), false, false, false, Precompressed.OFF);

    final LocSlot<Draft, GzipConf> conf = locSlot(LocSlot.of(Draft::new, GzipModule::merge));
    /** Whether {@code Vary: Accept-Encoding} was added to this request's response (nginx's {@code r->gzip_vary}). */
    private final RequestSlot<Boolean> varied = requestSlot();
    /** The response should vary with {@code Accept-Encoding}: {@code gzip_static} found a {@code .gz}. */
    private final RequestSlot<Boolean> varyWanted = requestSlot();
    /** {@link GzipOk}'s answer once asked (nginx's {@code r->gzip_tested} and {@code r->gzip_ok}). */
    private final RequestSlot<Boolean> gzipOk = requestSlot();

    public GzipModule() {
        super("gzip");
    }

    @Override
    public List<Directive> directives() {
        Set<Context> http = Directive.httpServerLocation();
        return List.of(
                Directive.of("gzip", Directive.httpServerLocationIf(), Arity.TAKE1,
                        Setters.flag(conf, d -> d.enabled, (d, v) -> d.enabled = v)),
                Directive.of("gzip_types", http, Arity.ONE_OR_MORE, this::types),
                Directive.of("gzip_min_length", http, Arity.TAKE1,
                        Setters.bytes(conf, d -> d.minLength, (d, v) -> d.minLength = v)),
                Directive.of("gzip_comp_level", http, Arity.TAKE1, this::level),
                Directive.of("gzip_buffers", http, Arity.TAKE2, this::buffers),
                Directive.of("gzip_proxied", http, Arity.ONE_OR_MORE, this::proxied),
                Directive.of("gzip_vary", http, Arity.TAKE1, Setters.flag(conf, d -> d.vary, (d, v) -> d.vary = v)),
                Directive.of("gzip_disable", http, Arity.ONE_OR_MORE, this::disable),
                Directive.of("gzip_http_version", http, Arity.TAKE1,
                        enumSlot(HTTP_VERSIONS, d -> d.http10, (d, v) -> d.http10 = v)),
                Directive.of("gzip_static", http, Arity.TAKE1,
                        enumSlot(GZIP_STATIC, d -> d.gzipStatic, (d, v) -> d.gzipStatic = v)),
                Directive.of("gunzip", http, Arity.TAKE1, Setters.flag(conf, d -> d.gunzip, (d, v) -> d.gunzip = v)),
                Directive.of("gunzip_buffers", http, Arity.TAKE2, this::buffers));
    }

    private void types(ConfContext cx, ConfDirective d) {
        Draft draft = cx.loc(conf);
        if (draft.types == null) {
            draft.types = new HashSet<>(DEFAULTS.types()); // nginx's ngx_http_types_slot starts with text/html
        }
        for (String t : d.args()) {
            if (t.equals("*")) {
                draft.anyType = true;
            }
            draft.types.add(ConfValues.lower(t));
        }
    }

    private void level(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        Setters.checkUnset(d, draft.level);
        int n = ConfValues.number(d.arg(0));
        if (n < 0) {
            throw d.error("\"%s\" directive invalid number", d.name());
        }
        if (n < 1 || n > 9) {
            throw d.error("value must be between 1 and 9");
        }
        draft.level = n;
    }

    /**
     * {@code gzip_buffers} and {@code gunzip_buffers number size}: checked as nginx checks them and kept for the
     * duplicate check only; the JVM's pooled buffers do what nginx's per-request buffers do (docs/gzip.md).
     */
    private void buffers(ConfContext cx, ConfDirective d) throws ConfException {
        if (ConfValues.number(d.arg(0)) <= 0 || ConfValues.bytes(d.arg(1)) <= 0) {
            throw d.error("\"%s\" directive invalid value", d.name());
        }
    }

    /** nginx's enum slot, with its terse error: one of {@code values}' words, compared caselessly. */
    private <V> DirectiveSetter enumSlot(Map<String, V> values, Function<Draft, V> get, BiConsumer<Draft, V> set) {
        return (cx, d) -> {
            Draft draft = cx.loc(conf);
            Setters.checkUnset(d, get.apply(draft));
            V v = values.get(ConfValues.lower(d.arg(0)));
            if (v == null) {
                throw d.error("invalid value \"%s\"", d.arg(0));
            }
            set.accept(draft, v);
        };
    }

    /** nginx's bitmask slot: the words of every {@code gzip_proxied} of a level add up. */
    private void proxied(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        int bits = draft.proxied != null ? draft.proxied : 0;
        for (String v : d.args()) {
            Integer bit = GzipOk.PROXIED.get(ConfValues.lower(v));
            if (bit == null) {
                throw d.error("invalid value \"%s\"", v);
            }
            if ((bits & bit) != 0) {
                cx.warn(d, "duplicate value \"" + v + "\"");
            }
            bits |= bit;
        }
        draft.proxied = bits;
    }

    private void disable(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        if (draft.disable == null) {
            draft.disable = new ArrayList<>();
        }
        for (String v : d.args()) {
            if (v.equals("msie6")) {
                draft.disableMsie6 = true;
                continue;
            }
            try {
                draft.disable.add(NginxRegex.compile(v, true));
            } catch (PatternSyntaxException e) {
                throw d.error("pcre2_compile() failed: %s in \"%s\"", e.getDescription(), v);
            }
        }
    }

    private static GzipConf merge(GzipConf parent, Draft d) {
        GzipConf p = parent != null ? parent : DEFAULTS;
        Set<String> types = d.types == null ? p.types() : d.anyType ? null : Set.copyOf(d.types);
        boolean disableSet = d.disable != null;
        return new GzipConf(d.enabled != null ? d.enabled : p.enabled(), types,
                d.minLength != null ? d.minLength : p.minLength(), d.level != null ? d.level : p.level(),
                d.vary != null ? d.vary : p.vary(), d.proxied != null ? d.proxied : p.proxied(),
                disableSet ? List.copyOf(d.disable) : p.disable(), disableSet ? d.disableMsie6 : p.disableMsie6(),
                d.http10 != null ? d.http10 : p.http10(), d.gunzip != null ? d.gunzip : p.gunzip(),
                d.gzipStatic != null ? d.gzipStatic : p.gzipStatic());
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHeaderFilter(this::filter);
    }

    /** nginx's {@code ngx_http_gzip_header_filter}. */
    private void filter(HttpExchange x, int status, ResponseHeaders h) {
        GzipConf c = x.conf(conf);
        if (x.get(varyWanted) != null) {
            vary(x, c, h);
        }
        if (!c.enabled() || status != 200 && status != 403 && status != 404) {
            return;
        }
        String encoding = h.get("Content-Encoding");
        long length = contentLength(h);
        if (encoding != null && !encoding.isEmpty() || length != -1 && length < c.minLength()
                || !typeMatches(c.types(), h.get("Content-Type"))) {
            return;
        }
        vary(x, c, h);
        if (!gzipOk(x, c, h)) {
            return;
        }
        h.add("Content-Encoding", "gzip");
        h.remove("Content-Length");
        h.remove("Accept-Ranges");
        weakenEtag(h);
        x.addBodyFilter(new GzipBody(c.level()));
    }

    /**
     * nginx's {@code ngx_http_gzip_ok} as it caches its answer in the request: asked once, by whichever of
     * {@code gzip_static}, gunzip and gzip asks first, with the response headers there are then ({@code null}
     * before the response exists), and the same answer for the others.
     */
    boolean gzipOk(HttpExchange x, GzipConf c, ResponseHeaders h) {
        Boolean ok = x.get(gzipOk);
        if (ok == null) {
            ok = GzipOk.test(x, c, h);
            x.set(gzipOk, ok);
        }
        return ok;
    }

    /**
     * What {@code gzip_static} asks of this request for a file, nginx's {@code ngx_http_gzip_static_handler}
     * before it opens the {@code .gz}: nothing for a method other than {@code GET} and {@code HEAD}; with
     * {@code on}, the client's acceptance ({@link GzipOk}, asked before any response header exists), and a look
     * for the {@code .gz} only to vary the response when it does not accept gzip but {@code gzip_vary} is on.
     */
    public Precompressed precompressed(HttpExchange x) {
        GzipConf c = x.conf(conf);
        String method = x.method();
        if (c.gzipStatic() == Precompressed.OFF || !method.equals("GET") && !method.equals("HEAD")) {
            return Precompressed.OFF;
        }
        if (c.gzipStatic() == Precompressed.ALWAYS || gzipOk(x, c, null)) {
            return c.gzipStatic();
        }
        return c.vary() ? Precompressed.VARY_ONLY : Precompressed.OFF;
    }

    /** The response varies with {@code Accept-Encoding}: {@code gzip_static on} found a {@code .gz}. */
    public void varies(HttpExchange x) {
        x.set(varyWanted, Boolean.TRUE);
    }

    /** The merged configuration of {@code x}'s location, for gunzip. */
    GzipConf conf(HttpExchange x) {
        return x.conf(conf);
    }

    /**
     * nginx's {@code r->gzip_vary}: the response varies with {@code Accept-Encoding}; with {@code gzip_vary on} the
     * header is added once, among nginx's own headers (after {@code Keep-Alive}).
     */
    void vary(HttpExchange x, GzipConf c, ResponseHeaders h) {
        if (c.vary() && !x.isSubrequest() && x.get(varied) == null) {
            x.set(varied, Boolean.TRUE);
            h.add(Response.GZIP_VARY, "Accept-Encoding");
        }
    }

    /** The {@code Content-Length}, -1 when there is none or it is not a number. */
    static long contentLength(ResponseHeaders h) {
        String v = h.get("Content-Length");
        if (v == null) {
            return -1;
        }
        long n = ConfValues.digits(v, 18);
        return n < 0 ? -1 : n;
    }

    /**
     * nginx's {@code ngx_http_test_content_type}: {@code types == null} ({@code *}) takes anything, even no type;
     * otherwise the type, lower-cased, up to a {@code ;} that starts a {@code charset=} parameter (nginx cuts
     * there only: {@code text/html; q=1} is not {@code text/html}).
     */
    static boolean typeMatches(Set<String> types, String contentType) {
        if (types == null) {
            return true;
        }
        if (contentType == null || contentType.isEmpty()) {
            return false;
        }
        return types.contains(ConfValues.lower(mediaType(contentType)));
    }

    /** The part of a {@code Content-Type} nginx compares: before {@code ;} and spaces and {@code charset=}. */
    static String mediaType(String contentType) {
        int from = 0;
        while (true) {
            int semi = contentType.indexOf(';', from);
            if (semi < 0) {
                return contentType;
            }
            int p = semi + 1;
            while (p < contentType.length() && contentType.charAt(p) == ' ') {
                p++;
            }
            if (contentType.regionMatches(true, p, "charset=", 0, 8)) {
                return contentType.substring(0, semi);
            }
            from = p;
        }
    }

    /** nginx's {@code ngx_http_weak_etag}: a strong {@code ETag} becomes weak; one that is neither is dropped. */
    static void weakenEtag(ResponseHeaders h) {
        String etag = h.get("ETag");
        if (etag == null || etag.startsWith("W/")) {
            return;
        }
        if (etag.startsWith("\"")) {
            h.set("ETag", "W/" + etag);
        } else {
            h.remove("ETag");
        }
    }
}
