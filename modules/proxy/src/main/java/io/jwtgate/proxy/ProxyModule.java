package io.jwtgate.proxy;

import io.jwtgate.core.codec.InetText;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.Variables;
import io.jwtgate.proxy.cache.CacheConf;
import io.jwtgate.proxy.cache.CacheRequest;
import io.jwtgate.proxy.cache.ProxyCache;
import io.jwtgate.proxy.resolve.ResolverConf;
import io.jwtgate.proxy.resolve.ResolverModule;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's proxy module: {@code proxy_pass}, {@code proxy_set_header}, {@code proxy_http_version},
 * {@code proxy_connect_timeout}, {@code proxy_read_timeout}, {@code proxy_send_timeout},
 * {@code proxy_pass_request_headers}, {@code proxy_pass_request_body}, {@code proxy_next_upstream*}
 * ({@link NextUpstream}), upstream TLS ({@code proxy_ssl_*},
 * {@link ProxySsl}) and the cache ({@code proxy_cache*}, {@link ProxyCache}); the variables {@code $proxy_host},
 * {@code $proxy_port}, {@code $proxy_add_x_forwarded_for}, the {@code $upstream_*} of every try
 * ({@link UpstreamStates}) and of the response's headers and cookies,
 * {@code $upstream_cache_status}, and {@code $request_body}/{@code $request_body_file} (the proxy is the only reader
 * of request bodies); buffering ({@link BufferingConf}). Its content handler sends the request to the upstream and
 * the response back ({@link ProxyRequest}); the upstreams are the {@link UpstreamModule}'s. See
 * {@code docs/proxy.md} for every directive and the few differences from nginx.
 *
 * <p>A stateless definition, like nginx's {@code ngx_module_t}: it holds only its slots and constants; what a
 * configuration load builds (TLS contexts, cache zones, the {@code proxy_pass} list) lives in that load's
 * http-wide slot. Register it with its upstream module ({@link ProxyModules#create()}).
 */
public final class ProxyModule extends HttpModule {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");
    private static final String NO_URI_PART = "\"proxy_pass\" cannot have URI part in location given by regular "
            + "expression, or inside named location, or inside \"if\" statement, or inside \"limit_except\" block";

    /** The http-wide state of one configuration load. */
    static final class Main {
        /** Every {@code proxy_pass}, to resolve once the upstream blocks are read. */
        final List<ProxyPass> passes = new ArrayList<>();
        final ProxySsl.Contexts tls = new ProxySsl.Contexts();
        /** {@code proxy_cache_path} zones. */
        final ProxyCache.Zones cacheZones = new ProxyCache.Zones();
        /** The executor and temporary files of buffered bodies. */
        final TempFiles tempFiles = new TempFiles();
    }

    final MainSlot<Main> main = mainSlot(MainSlot.of(Main::new));
    final LocSlot<ProxyConf.Draft, ProxyConf> conf =
            locSlot(LocSlot.mergedAtEveryLevel(ProxyConf.Draft::new, this::merge));
    final RequestSlot<ProxyRequest> request = requestSlot();
    /** Every try of the request, kept across internal redirects as nginx's {@code r->upstream_states}. */
    private final RequestSlot<UpstreamStates> states = requestSlot(RequestSlot.Scope.KEPT_ON_REDIRECT);
    /** The upstream module's groups. */
    private final MainSlot<Upstreams> upstreams;
    /** The {@code resolver} settings, for a {@code proxy_pass} with variables that names a host. */
    private final LocSlot<?, ResolverConf> resolvers;
    /** The cache's directives and request entry; holds only its clock. */
    private final ProxyCache cache;

    /**
     * With the clock {@code proxy_cache} validity and {@code inactive} are measured by (tests move it); the
     * upstreams are {@code upstream}'s and the resolvers {@code resolver}'s, which must be registered too.
     */
    ProxyModule(UpstreamModule upstream, ResolverModule resolver, InstantSource clock) {
        super("proxy");
        this.upstreams = upstream.main;
        this.resolvers = resolver.conf;
        this.cache = new ProxyCache(clock);
    }

    // ---- directives

    @Override
    public List<Directive> directives() {
        Set<Context> hsl = Directive.httpServerLocation();
        List<Directive> all = new ArrayList<>(List.of(
                Directive.of("proxy_pass", EnumSet.of(Context.LOCATION, Context.IF_LOCATION, Context.LIMIT_EXCEPT),
                        Arity.TAKE1, this::proxyPass),
                Directive.of("proxy_set_header", hsl, Arity.TAKE2, (cx, d) ->
                        cx.loc(conf).addHeader(new RequestHead.SetHeader(d.arg(0), cx.compile(d, d.arg(1))))),
                Directive.of("proxy_http_version", hsl, Arity.TAKE1, Setters.oneOf(conf,
                        Map.of("1.0", Boolean.FALSE, "1.1", Boolean.TRUE), c -> c.http11, (c, v) -> c.http11 = v)),
                Directive.of("proxy_connect_timeout", hsl, Arity.TAKE1,
                        Setters.millis(conf, c -> c.connectTimeoutMs, (c, v) -> c.connectTimeoutMs = v)),
                Directive.of("proxy_read_timeout", hsl, Arity.TAKE1,
                        Setters.millis(conf, c -> c.readTimeoutMs, (c, v) -> c.readTimeoutMs = v)),
                Directive.of("proxy_send_timeout", hsl, Arity.TAKE1,
                        Setters.millis(conf, c -> c.sendTimeoutMs, (c, v) -> c.sendTimeoutMs = v)),
                Directive.of("proxy_pass_request_headers", hsl, Arity.TAKE1,
                        Setters.flag(conf, c -> c.passRequestHeaders, (c, v) -> c.passRequestHeaders = v)),
                Directive.of("proxy_pass_request_body", hsl, Arity.TAKE1,
                        Setters.flag(conf, c -> c.passRequestBody, (c, v) -> c.passRequestBody = v)),
                Directive.of("proxy_method", hsl, Arity.TAKE1, (cx, d) -> {
                    ProxyConf.Draft c = cx.loc(conf);
                    Setters.checkUnset(d, c.method);
                    c.method = cx.compile(d, d.arg(0));
                }),
                Directive.of("proxy_set_body", hsl, Arity.TAKE1, (cx, d) -> {
                    ProxyConf.Draft c = cx.loc(conf);
                    Setters.checkUnset(d, c.setBody);
                    c.setBody = cx.compile(d, d.arg(0));
                })));
        all.addAll(ProxySsl.directives(conf));
        all.addAll(NextUpstream.directives(conf));
        all.addAll(ResponseHeaderPolicy.directives(conf));
        all.addAll(cache.directives(conf, ProxyConf.Draft::cache, main, m -> m.cacheZones));
        all.addAll(BufferingConf.directives(conf, ProxyConf.Draft::buffering));
        return all;
    }

    private void proxyPass(ConfContext cx, ConfDirective d) throws ConfException {
        ProxyConf.Draft draft = cx.loc(conf);
        if (draft.pass != null) {
            throw d.error("\"proxy_pass\" directive is duplicate");
        }
        Main m = cx.main(main);
        // an if block is a pseudo-location without a name: no prefix to replace, no redirect to add a slash
        boolean inIf = cx.context() == Context.IF_LOCATION;
        String pattern = inIf ? "" : cx.location().pattern();
        String text = d.arg(0);
        ComplexValue value = cx.compile(d, text);
        if (!value.isConstant()) {
            draft.pass = new ProxyPass(d, value, null, pattern.length(), m.tls);
            draft.response().passHasVariables = true;
        } else {
            ProxyUrl url;
            try {
                url = ProxyUrl.parse(text);
            } catch (ProxyUrl.Invalid e) {
                throw d.error(e.getMessage());
            }
            if (inIf && !url.uri().isEmpty()) {
                throw d.error(NO_URI_PART);
            }
            draft.pass = new ProxyPass(d, null, url, pattern.length(), m.tls);
            draft.response().defaultRedirect = ProxyRedirect.defaultRule(text, url, pattern);
        }
        if (pattern.endsWith("/")) {
            cx.location().setAutoRedirect();
        }
        m.passes.add(draft.pass);
    }

    // ---- merge

    private ProxyConf merge(ProxyConf parent, ProxyConf.Draft d) throws ConfException {
        ProxyConf p = parent == null ? ProxyConf.DEFAULT : parent;
        if (d.isEmpty() && p.pass() == null) {
            return p;
        }
        List<RequestHead.SetHeader> headers = d.setHeaders != null ? List.copyOf(d.setHeaders) : p.setHeaders();
        boolean passHeaders = d.passRequestHeaders != null ? d.passRequestHeaders : p.passRequestHeaders();
        ProxyConf.Ssl ssl = ProxySsl.merge(p.ssl(), d);
        CacheConf cacheConf = d.cache != null || p.cache() == null ? cache.merge(p.cache(), d.cache) : p.cache();
        RequestHead head = null;
        RequestHead cacheHead = null;
        UpstreamTls tls = null;
        if (d.pass != null) {
            String proxyHost = d.pass.hasVariables() ? null : d.pass.url.proxyHost();
            head = RequestHead.compile(headers, proxyHost, passHeaders);
            if (cacheConf != null && cacheConf.enabled()) {
                cacheHead = RequestHead.compileForCache(headers, proxyHost, passHeaders);
            }
            tls = d.pass.mayUseTls() ? d.pass.tlsContexts.of(ssl, d.pass.where) : null;
        }
        return new ProxyConf(d.pass, head, cacheHead, headers,
                d.http11 != null ? d.http11 : p.http11(),
                d.connectTimeoutMs != null ? d.connectTimeoutMs : p.connectTimeoutMs(),
                d.readTimeoutMs != null ? d.readTimeoutMs : p.readTimeoutMs(),
                d.sendTimeoutMs != null ? d.sendTimeoutMs : p.sendTimeoutMs(),
                passHeaders,
                d.passRequestBody != null ? d.passRequestBody : p.passRequestBody(), ssl, tls, cacheConf,
                NextUpstream.merge(p.next(), d), ResponseHeaderPolicy.merge(p.response(), d.response),
                d.method != null ? d.method : p.method(), d.setBody != null ? d.setBody : p.setBody(),
                BufferingConf.merge(p.buffering(), d.buffering));
    }

    // ---- init

    @Override
    public void postconfiguration(HttpInit init) throws ConfException {
        Main m = init.main(main);
        Upstreams u = init.main(upstreams);
        for (ProxyPass pass : m.passes) {
            if (!pass.hasVariables()) {
                pass.group = u.forPass(pass.url, pass.where);
            }
        }
        for (LocationConf loc : init.locations()) {
            ProxyConf pc = loc.get(conf);
            if (pc != null && pc.pass() != null && (loc.name().startsWith("~") || loc.name().startsWith("@"))
                    && !pc.pass().hasVariables() && !pc.pass().url.uri().isEmpty()) {
                throw pc.pass().where.error(NO_URI_PART);
            }
        }
        cache.postconfiguration(init, m.cacheZones);
        init.addLifecycle(m.tempFiles);
        init.addHandler(Phase.CONTENT, this::handle);
    }

    @Override
    public ContentOrigin contentOrigin(LocationConf location) {
        ProxyConf pc = location.get(conf);
        if (pc == null || pc.pass() == null) {
            return null;
        }
        return pc.cache() != null && pc.cache().enabled() ? ContentOrigin.CACHED : ContentOrigin.UPSTREAM;
    }

    // ---- handler

    private int handle(HttpExchange x) {
        ProxyConf c = x.conf(conf);
        if (c == null || c.pass() == null) {
            return PhaseHandler.DECLINED;
        }
        Downstream d = x.downstream();
        if (c.passRequestBody() && d.hasBody()) {
            long max = x.location().core().clientMaxBodySize();
            if (max > 0 && d.contentLength() > max) {
                log.error("client intended to send too large body: {} bytes, client: {}", d.contentLength(),
                        InetText.text(x.remoteAddress().getAddress()));
                return 413;
            }
        }
        ProxyPass pass = c.pass();
        ProxyUrl url;
        UpstreamGroup group;
        String uri;
        if (!pass.hasVariables()) {
            url = pass.url;
            group = pass.group;
            uri = url.uri().isEmpty() ? ProxyUri.withoutUriPart(x) : ProxyUri.replaced(x, url.uri(), pass.prefixLength);
        } else {
            String text = pass.variableUrl.evaluate(x);
            try {
                url = ProxyUrl.parse(text);
            } catch (ProxyUrl.Invalid e) {
                log.error("{}, client: {}", e.getMessage(), InetText.text(x.remoteAddress().getAddress()));
                return 500;
            }
            if (url.https() && c.tls() == null) {
                log.error("no SSL context for \"{}\"", text);
                return 502;
            }
            uri = url.uri().isEmpty() ? ProxyUri.withoutUriPart(x) : url.uri();
            group = x.main(upstreams).atRuntime(url);
            if (group == null) {
                ResolverConf rc = x.conf(resolvers);
                if (rc.resolver() == null) {
                    log.error("no resolver defined to resolve {}{}", url.bareHost(), ErrorContext.of(x));
                    return 502;
                }
                new PassResolution(this, x.main(upstreams), x, c, url, uri).start(rc);
                return PhaseHandler.OK;
            }
        }
        proxy(x, c, group, url, uri);
        return PhaseHandler.OK;
    }

    /**
     * Starts the proxied request to {@code group}, through the cache when {@code proxy_cache} is on, once the group
     * knows its peers ({@code server ... resolve}).
     */
    void proxy(HttpExchange x, ProxyConf c, UpstreamGroup group, ProxyUrl url, String uri) {
        if (group.resolution == null) {
            start(x, c, group, url, uri);
            return;
        }
        boolean[] gone = new boolean[1];
        x.downstream().onClose(() -> gone[0] = true);
        group.resolution.ready(x.downstream().loop(), x.downstream().transport(), () -> {
            if (!gone[0]) {
                start(x, c, group, url, uri);
            }
        });
    }

    private void start(HttpExchange x, ProxyConf c, UpstreamGroup group, ProxyUrl url, String uri) {
        UpstreamStates tries = x.get(states);
        if (tries == null) {
            tries = new UpstreamStates();
            x.set(states, tries);
        } else {
            tries.redirected();
        }
        ProxyRequest r = new ProxyRequest(x, c, group, uri, url.proxyHost(), tries);
        r.tempFiles = x.main(main).tempFiles;
        if (url.https()) {
            r.tls(c.tls(), c.tls().name(url.bareHost()));
        }
        x.set(request, r);
        // proxy_cache: a hit is answered from the cache, a miss starts r through it; a buffered body is read first,
        // since the key may use $request_body
        if (c.cache() != null && c.cache().enabled() && cache.caches(x, c.cache())) {
            Runnable lookup = () -> {
                r.cache = cache.prepare(x, c.cache(), r.proxyHost, r::start);
                r.cache.start();
            };
            if (r.bufferBody()) {
                r.readBody(lookup);
            } else {
                lookup.run();
            }
            return;
        }
        r.start();
    }

    // ---- variables

    @Override
    public void preconfiguration(Variables v) {
        v.define("proxy_host", (x, d) -> {
            ProxyRequest r = x.get(request);
            return r == null ? null : r.proxyHost;
        }, null, 0);
        v.define("proxy_port", (x, d) -> {
            ProxyRequest r = x.get(request);
            if (r == null) {
                return null;
            }
            int colon = r.proxyHost.lastIndexOf(':');
            return colon < 0 || r.proxyHost.endsWith("]") ? (r.tls() != null ? "443" : "80")
                    : r.proxyHost.substring(colon + 1);
        }, null, 0);
        v.define("proxy_add_x_forwarded_for", (x, d) -> {
            String addr = InetText.text(x.remoteAddress().getAddress());
            List<String> prior = x.headers("X-Forwarded-For");
            if (prior.isEmpty()) {
                return addr;
            }
            return String.join(", ", prior) + ", " + addr;
        }, null, 0);
        for (UpstreamStates.Value val : UpstreamStates.Value.values()) {
            v.define(val.variable, (x, d) -> {
                UpstreamStates tries = x.get(states);
                return tries == null ? null : tries.format(val);
            }, null, Variables.NOCACHE);
        }
        v.definePrefix("upstream_http_", (x, d) -> {
            ProxyRequest r = x.get(request);
            return r == null ? null : r.upstreamHeader((String) d);
        }, Variables.NOCACHE);
        v.definePrefix("upstream_cookie_", (x, d) -> {
            ProxyRequest r = x.get(request);
            return r == null ? null : r.upstreamCookie((String) d);
        }, Variables.NOCACHE);
        // jwtgate passes no trailers (as nginx without proxy_pass_trailers), so there is never one to show
        v.definePrefix("upstream_trailer_", (x, d) -> null, Variables.NOCACHE);
        v.define("request_body", (x, d) -> {
            ProxyRequest r = x.get(request);
            if (r == null) {
                return null;
            }
            if (r.bodyBuffer != null) {
                return r.bodyBuffer.text();
            }
            // as nginx: a body declared empty was read, and is empty; a request without one has none
            return x.header("Content-Length") != null ? "" : null;
        }, null, Variables.NOCACHE);
        v.define("request_body_file", (x, d) -> {
            ProxyRequest r = x.get(request);
            return r == null || r.bodyBuffer == null ? null : r.bodyBuffer.fileName();
        }, null, Variables.NOCACHE);
        v.define("upstream_cache_status", (x, d) -> {
            ProxyRequest r = x.get(request);
            CacheRequest cr = r == null ? null : r.cache;
            return cr == null ? null : cr.status();
        }, null, Variables.NOCACHE);
    }
}
