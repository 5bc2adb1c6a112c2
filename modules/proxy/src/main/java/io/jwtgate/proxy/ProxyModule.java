package io.jwtgate.proxy;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.LocationDraft;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.module.Setters;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.tls.PemFiles;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.Variables;
import io.jwtgate.proxy.cache.CacheRequest;
import io.jwtgate.proxy.cache.ProxyCache;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's proxy and upstream modules: {@code proxy_pass}, {@code proxy_set_header}, {@code proxy_http_version},
 * {@code proxy_connect_timeout}, {@code proxy_read_timeout}, {@code proxy_send_timeout},
 * {@code proxy_pass_request_headers}, {@code proxy_pass_request_body}, and the {@code upstream} block with
 * {@code server}, {@code keepalive}, {@code keepalive_timeout} and {@code keepalive_requests}; the variables
 * {@code $proxy_host}, {@code $proxy_port}, {@code $proxy_add_x_forwarded_for}, {@code $upstream_addr} and
 * {@code $upstream_status}. Its content handler streams the request to the upstream and the response back; see
 * {@code docs/proxy.md} for every directive and the few differences from nginx.
 *
 * <p>Create one instance per configuration load, next to the core modules.
 */
public final class ProxyModule extends HttpModule {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");
    private static final String URI_PART_NOT_ALLOWED = "\"proxy_pass\" cannot have URI part in location given by "
            + "regular expression, or inside named location, or inside \"if\" statement, or inside "
            + "\"limit_except\" block";

    /** An {@code upstream} block while it is read. */
    static final class UpstreamDraft {
        final String name;
        final ConfDirective where;
        final List<Peer> primary = new ArrayList<>();
        final List<Peer> backup = new ArrayList<>();
        Integer keepalive;
        Long keepaliveTimeoutMs;
        Integer keepaliveRequests;

        UpstreamDraft(String name, ConfDirective where) {
            this.name = name;
            this.where = where;
        }
    }

    /** The http-wide state: upstream blocks, every {@code proxy_pass} to resolve, the upstreams by name. */
    static final class Main {
        final Map<String, UpstreamDraft> blocks = new LinkedHashMap<>();
        final List<ProxyPass> passes = new ArrayList<>();
        /** Upstream blocks by lower-case name, for {@code proxy_pass} with variables; complete after postconfiguration. */
        final Map<String, UpstreamGroup> groups = new HashMap<>();
        /** proxy_cache_path zones (io.jwtgate.proxy.cache). */
        final ProxyCache.Zones cacheZones = new ProxyCache.Zones();
    }

    /** Defaults of an implicit upstream's server, as nginx's {@code ngx_http_upstream_init_round_robin}. */
    private static final int IMPLICIT_MAX_FAILS = 1;
    private static final long IMPLICIT_FAIL_TIMEOUT_MS = 10_000;
    /** Peer selection keeps the tried peers of a tier in one {@code long}. */
    private static final int MAX_PEERS = 64;

    final MainSlot<Main> main = mainSlot(MainSlot.of(Main::new));
    final LocSlot<ProxyConf.Draft, ProxyConf> conf =
            locSlot(LocSlot.mergedAtEveryLevel(ProxyConf.Draft::new, this::merge));

    private ComplexValue proxyHostValue;
    /** TLS contexts to upstreams, one per distinct settings, built while this configuration loads. */
    private final Map<UpstreamTls.Settings, SslContext> tlsContexts = new HashMap<>();
    private final Map<ProxyConf.Ssl, UpstreamTls> tlsBySsl = new HashMap<>();
    private Map<String, UpstreamGroup> groupsByName = Map.of();

    /** proxy_cache (io.jwtgate.proxy.cache). */
    private final ProxyCache cache;

    final RequestSlot<ProxyRequest> request = requestSlot();

    public ProxyModule() {
        this(InstantSource.system());
    }

    /** With the clock {@code proxy_cache} validity and {@code inactive} are measured by (tests move it). */
    public ProxyModule(InstantSource clock) {
        super("proxy");
        this.cache = new ProxyCache(clock);
    }

    // ---- directives

    @Override
    public List<Directive> directives() {
        Set<Context> hsl = Directive.httpServerLocation();
        Set<Context> up = EnumSet.of(Context.UPSTREAM);
        List<Directive> own = List.of(
                Directive.of("proxy_pass", EnumSet.of(Context.LOCATION, Context.IF_LOCATION), Arity.TAKE1,
                        this::proxyPass),
                Directive.of("proxy_set_header", hsl, Arity.TAKE2, this::proxySetHeader),
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
                Directive.of("proxy_ssl_server_name", hsl, Arity.TAKE1,
                        Setters.flag(conf, c -> c.sslServerName, (c, v) -> c.sslServerName = v)),
                Directive.of("proxy_ssl_name", hsl, Arity.TAKE1, this::proxySslName),
                Directive.of("proxy_ssl_verify", hsl, Arity.TAKE1, this::proxySslVerify),
                Directive.of("proxy_ssl_verify_depth", hsl, Arity.TAKE1,
                        Setters.number(conf, c -> c.sslVerifyDepth, (c, v) -> c.sslVerifyDepth = v)),
                Directive.of("proxy_ssl_trusted_certificate", hsl, Arity.TAKE1, this::proxySslTrustedCertificate),
                Directive.of("proxy_ssl_protocols", hsl, Arity.ONE_OR_MORE, this::proxySslProtocols),
                Directive.block("upstream", EnumSet.of(Context.HTTP), Arity.TAKE1, this::upstream),
                Directive.of("server", up, Arity.ONE_OR_MORE, this::server),
                Directive.of("keepalive", up, Arity.TAKE1, this::keepalive),
                Directive.of("keepalive_timeout", up, Arity.TAKE1, this::keepaliveTimeout),
                Directive.of("keepalive_requests", up, Arity.TAKE1, this::keepaliveRequests));
        // ---- proxy_cache (io.jwtgate.proxy.cache)
        List<Directive> all = new ArrayList<>(own);
        all.addAll(cache.directives(conf, ProxyConf.Draft::cache, main, m -> m.cacheZones));
        return all;
    }

    private void proxyPass(ConfContext cx, ConfDirective d) throws ConfException {
        ProxyConf.Draft draft = cx.loc(conf);
        if (draft.pass != null) {
            throw d.error("\"proxy_pass\" directive is duplicate");
        }
        LocationDraft loc = cx.location();
        String pattern = loc.pattern();
        if (pattern.endsWith("/")) {
            loc.setAutoRedirect();
        }
        String text = d.arg(0);
        ComplexValue value = cx.compile(d, text);
        if (!value.isConstant()) {
            draft.pass = new ProxyPass(d, value, null, pattern.length());
            cx.main(main).passes.add(draft.pass);
            return;
        }
        ProxyUrl url;
        try {
            url = ProxyUrl.parse(text);
        } catch (ProxyUrl.Invalid e) {
            throw d.error(e.getMessage());
        }
        if (cx.context() == Context.IF_LOCATION && !url.uri().isEmpty()) {
            throw d.error(URI_PART_NOT_ALLOWED);
        }
        draft.pass = new ProxyPass(d, null, url, pattern.length());
        cx.main(main).passes.add(draft.pass);
    }

    private void proxySetHeader(ConfContext cx, ConfDirective d) throws ConfException {
        cx.loc(conf).addHeader(new RequestHead.SetHeader(d.arg(0), cx.compile(d, d.arg(1))));
    }

    // ---- proxy_ssl_* (TLS to upstreams, see UpstreamTls)

    private void proxySslName(ConfContext cx, ConfDirective d) throws ConfException {
        ProxyConf.Draft draft = cx.loc(conf);
        Setters.checkUnset(d, draft.sslName);
        if (!cx.compile(d, d.arg(0)).isConstant()) {
            throw d.error("variables are not supported in \"proxy_ssl_name\" directive");
        }
        draft.sslName = d.arg(0);
    }

    private void proxySslVerify(ConfContext cx, ConfDirective d) throws ConfException {
        Setters.flag(conf, c -> c.sslVerify, (c, v) -> c.sslVerify = v).set(cx, d);
        if (!cx.loc(conf).sslVerify) {
            cx.warn(d, "\"proxy_ssl_verify off\": certificates of https upstreams are not verified");
        }
    }

    private void proxySslTrustedCertificate(ConfContext cx, ConfDirective d) throws ConfException {
        ProxyConf.Draft draft = cx.loc(conf);
        Setters.checkUnset(d, draft.sslTrusted);
        Path file = cx.resolvePath(d.arg(0));
        try {
            draft.sslTrusted = List.copyOf(PemFiles.certificates(file));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            String why = e instanceof NoSuchFileException ? "no such file"
                    : e.getMessage() == null ? e.toString() : e.getMessage();
            throw d.error("cannot load trusted certificate \"%s\": %s", file, why);
        }
    }

    private void proxySslProtocols(ConfContext cx, ConfDirective d) throws ConfException {
        ProxyConf.Draft draft = cx.loc(conf);
        Setters.checkUnset(d, draft.sslProtocols);
        Set<String> p = new LinkedHashSet<>();
        for (String a : d.args()) {
            if (a.equals("SSLv2") || a.equals("SSLv3") || a.equals("TLSv1") || a.equals("TLSv1.1")) {
                throw d.error("obsolete protocol \"%s\" is not supported, use TLSv1.2 or TLSv1.3", a);
            }
            if (!a.equals("TLSv1.2") && !a.equals("TLSv1.3")) {
                throw d.error("invalid value \"%s\" in \"%s\" directive", a, d.name());
            }
            p.add(a);
        }
        draft.sslProtocols = List.copyOf(p);
    }

    /** The merged {@code proxy_ssl_*} settings of a level. */
    private static ProxyConf.Ssl mergeSsl(ProxyConf.Ssl p, ProxyConf.Draft d) {
        if (d.sslEmpty()) {
            return p;
        }
        UpstreamTls.Settings ps = p.settings();
        return new ProxyConf.Ssl(d.sslServerName != null ? d.sslServerName : p.serverName(),
                d.sslName != null ? d.sslName : p.name(),
                new UpstreamTls.Settings(d.sslVerify != null ? d.sslVerify : ps.verify(),
                        d.sslVerifyDepth != null ? d.sslVerifyDepth : ps.depth(),
                        d.sslTrusted != null ? d.sslTrusted : ps.trusted(),
                        d.sslProtocols != null ? d.sslProtocols : ps.protocols()));
    }

    /** The TLS context of {@code ssl}, built once per distinct settings of this configuration load. */
    private UpstreamTls upstreamTls(ProxyConf.Ssl ssl, ConfDirective where) throws ConfException {
        UpstreamTls t = tlsBySsl.get(ssl);
        if (t != null) {
            return t;
        }
        SslContext ctx = tlsContexts.get(ssl.settings());
        if (ctx == null) {
            try {
                ctx = UpstreamTls.context(ssl.settings());
            } catch (GeneralSecurityException | SSLException | IllegalArgumentException e) {
                throw where.error("cannot create the SSL context for \"proxy_pass\": %s", e.getMessage());
            }
            tlsContexts.put(ssl.settings(), ctx);
        }
        t = new UpstreamTls(ctx, ssl.settings().verify(), ssl.serverName(), ssl.name());
        tlsBySsl.put(ssl, t);
        return t;
    }

    private void upstream(ConfContext cx, ConfDirective d) throws ConfException {
        Main m = cx.main(main);
        String name = ConfValues.lower(d.arg(0));
        if (m.blocks.containsKey(name)) {
            throw d.error("duplicate upstream \"%s\"", d.arg(0));
        }
        UpstreamDraft u = new UpstreamDraft(d.arg(0), d);
        m.blocks.put(name, u);
        cx.parseBlock(d, Context.UPSTREAM, u);
        if (u.primary.isEmpty() && u.backup.isEmpty()) {
            throw d.error("no servers are inside upstream");
        }
    }

    private void server(ConfContext cx, ConfDirective d) throws ConfException {
        UpstreamDraft u = cx.block(UpstreamDraft.class);
        String address = d.arg(0);
        int weight = 1;
        int maxFails = 1;
        long failTimeout = 10_000;
        boolean backup = false;
        boolean down = false;
        for (String p : d.args().subList(1, d.args().size())) {
            if (p.startsWith("weight=")) {
                weight = ConfValues.number(p.substring(7));
                if (weight <= 0) {
                    throw d.error("invalid parameter \"%s\"", p);
                }
            } else if (p.startsWith("max_fails=")) {
                maxFails = ConfValues.number(p.substring(10));
                if (maxFails < 0) {
                    throw d.error("invalid parameter \"%s\"", p);
                }
            } else if (p.startsWith("fail_timeout=")) {
                failTimeout = ConfValues.millis(p.substring(13));
                if (failTimeout < 0) {
                    throw d.error("invalid parameter \"%s\"", p);
                }
            } else if (p.equals("backup")) {
                backup = true;
            } else if (p.equals("down")) {
                down = true;
            } else {
                throw d.error("invalid parameter \"%s\"", p);
            }
        }
        if (address.startsWith("unix:")) {
            throw d.error("unix domain sockets are not supported in upstream \"%s\"", address);
        }
        ProxyUrl url;
        try {
            url = ProxyUrl.parse("http://" + address);
        } catch (ProxyUrl.Invalid e) {
            throw d.error(e.getMessage());
        }
        if (!url.uri().isEmpty()) {
            throw d.error("invalid host in upstream \"%s\"", address);
        }
        InetAddress[] addrs;
        try {
            addrs = InetAddress.getAllByName(url.bareHost());
        } catch (UnknownHostException e) {
            throw d.error("host not found in upstream \"%s\"", address);
        }
        List<Peer> list = backup ? u.backup : u.primary;
        for (InetAddress a : addrs) {
            list.add(Peer.of(new InetSocketAddress(a, url.port()), weight, maxFails, failTimeout, backup, down));
        }
        if (list.size() > MAX_PEERS) {
            throw d.error("too many servers in upstream \"%s\" (at most %d)", u.name, MAX_PEERS);
        }
    }

    private void keepalive(ConfContext cx, ConfDirective d) throws ConfException {
        UpstreamDraft u = cx.block(UpstreamDraft.class);
        Setters.checkUnset(d, u.keepalive);
        int n = ConfValues.number(d.arg(0));
        if (n <= 0) {
            throw d.error("invalid value \"%s\" in \"%s\" directive", d.arg(0), d.name());
        }
        u.keepalive = n;
    }

    private void keepaliveTimeout(ConfContext cx, ConfDirective d) throws ConfException {
        UpstreamDraft u = cx.block(UpstreamDraft.class);
        Setters.checkUnset(d, u.keepaliveTimeoutMs);
        u.keepaliveTimeoutMs = Setters.millis(d, d.arg(0));
    }

    private void keepaliveRequests(ConfContext cx, ConfDirective d) throws ConfException {
        UpstreamDraft u = cx.block(UpstreamDraft.class);
        Setters.checkUnset(d, u.keepaliveRequests);
        int n = ConfValues.number(d.arg(0));
        if (n <= 0) {
            throw d.error("invalid value \"%s\" in \"%s\" directive", d.arg(0), d.name());
        }
        u.keepaliveRequests = n;
    }

    // ---- merge

    private ProxyConf merge(ProxyConf parent, ProxyConf.Draft d) throws ConfException {
        ProxyConf p = parent == null ? ProxyConf.DEFAULT : parent;
        if (d.isEmpty() && p.pass() == null) {
            return p;
        }
        List<RequestHead.SetHeader> headers = d.setHeaders != null ? List.copyOf(d.setHeaders) : p.setHeaders();
        boolean passHeaders = d.passRequestHeaders != null ? d.passRequestHeaders : p.passRequestHeaders();
        RequestHead head = null;
        if (d.pass != null) {
            String constantHost = d.pass.hasVariables() ? null : d.pass.url.proxyHost();
            head = RequestHead.compile(headers, proxyHostValue, constantHost, passHeaders);
        }
        ProxyConf.Ssl ssl = mergeSsl(p.ssl(), d);
        UpstreamTls tls = null;
        if (d.pass != null && (d.pass.hasVariables() ? !d.pass.where.arg(0).regionMatches(true, 0, "http://", 0, 7)
                : d.pass.url.https())) {
            tls = upstreamTls(ssl, d.pass.where);
        }
        return new ProxyConf(d.pass, head, headers,
                d.http11 != null ? d.http11 : p.http11(),
                d.connectTimeoutMs != null ? d.connectTimeoutMs : p.connectTimeoutMs(),
                d.readTimeoutMs != null ? d.readTimeoutMs : p.readTimeoutMs(),
                d.sendTimeoutMs != null ? d.sendTimeoutMs : p.sendTimeoutMs(),
                passHeaders,
                d.passRequestBody != null ? d.passRequestBody : p.passRequestBody(), ssl, tls,
                d.cache != null || p.cache() == null ? cache.merge(p.cache(), d.cache) : p.cache());
    }

    // ---- init

    @Override
    public void postconfiguration(HttpInit init) throws ConfException {
        Main m = init.main(main);
        for (Map.Entry<String, UpstreamDraft> e : m.blocks.entrySet()) {
            UpstreamDraft u = e.getValue();
            UpstreamGroup g = new UpstreamGroup(u.name, u.primary.toArray(new Peer[0]), u.backup.toArray(new Peer[0]),
                    u.keepalive == null ? 0 : u.keepalive,
                    u.keepaliveTimeoutMs == null ? UpstreamGroup.DEFAULT_KEEPALIVE_TIMEOUT_MS : u.keepaliveTimeoutMs,
                    u.keepaliveRequests == null ? UpstreamGroup.DEFAULT_KEEPALIVE_REQUESTS : u.keepaliveRequests,
                    UpstreamGroup::millis);
            m.groups.put(e.getKey(), g);
            init.addLifecycle(g);
        }
        Map<String, UpstreamGroup> implicit = new HashMap<>();
        for (ProxyPass pass : m.passes) {
            if (pass.hasVariables()) {
                continue;
            }
            ProxyUrl url = pass.url;
            String key = ConfValues.lower(url.host());
            UpstreamGroup g = m.groups.get(key);
            if (g != null) {
                if (url.explicitPort()) {
                    throw pass.where.error("upstream \"%s\" may not have port %d", url.host(), url.port());
                }
                pass.group = g;
                continue;
            }
            String implicitKey = key + ":" + url.port();
            g = implicit.get(implicitKey);
            if (g == null) {
                g = implicitGroup(pass, url);
                implicit.put(implicitKey, g);
            }
            pass.group = g;
        }
        for (LocationConf loc : init.locations()) {
            ProxyConf pc = loc.get(conf);
            if (pc != null && pc.pass() != null && loc.name().startsWith("~") && !pc.pass().hasVariables()
                    && !pc.pass().url.uri().isEmpty()) {
                throw pc.pass().where.error(URI_PART_NOT_ALLOWED);
            }
        }
        groupsByName = Map.copyOf(m.groups);
        cache.postconfiguration(init, m.cacheZones); // proxy_cache (io.jwtgate.proxy.cache)
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

    private static UpstreamGroup implicitGroup(ProxyPass pass, ProxyUrl url) throws ConfException {
        InetAddress[] addrs;
        try {
            addrs = InetAddress.getAllByName(url.bareHost());
        } catch (UnknownHostException e) {
            throw pass.where.error("host not found in upstream \"%s\"", url.host());
        }
        Peer[] peers = new Peer[Math.min(addrs.length, MAX_PEERS)];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = Peer.of(new InetSocketAddress(addrs[i], url.port()), 1, IMPLICIT_MAX_FAILS,
                    IMPLICIT_FAIL_TIMEOUT_MS, false, false);
        }
        return new UpstreamGroup(url.proxyHost(), peers, new Peer[0], 0, 0, 0, UpstreamGroup::millis);
    }

    // ---- handler

    private int handle(HttpExchange hx) {
        ProxyConf c = hx.conf(conf);
        if (c == null || c.pass() == null) {
            return PhaseHandler.DECLINED;
        }
        if (!(hx instanceof Downstream)) {
            log.error("proxy_pass cannot serve a {}", hx.getClass().getSimpleName());
            return 500;
        }
        HttpExchange x = hx;
        Downstream d = (Downstream) hx;
        if (c.passRequestBody() && d.hasBody()) {
            long max = x.location().core().clientMaxBodySize();
            if (max > 0 && d.contentLength() > max) {
                log.error("client intended to send too large body: {} bytes, client: {}", d.contentLength(),
                        x.remoteAddress().getAddress().getHostAddress());
                return 413;
            }
            if (d.contentLength() < 0 && !c.http11()) {
                // nginx would buffer the chunked body to send a Content-Length; jwtgate streams and asks for one
                return 411;
            }
        }
        ProxyPass pass = c.pass();
        UpstreamGroup group;
        String uri;
        String proxyHost;
        String tlsHost = null;
        if (!pass.hasVariables()) {
            tlsHost = pass.url.https() ? pass.url.bareHost() : null;
            group = pass.group;
            proxyHost = pass.url.proxyHost();
            uri = pass.url.uri().isEmpty() ? ProxyUri.unparsed(x)
                    : ProxyUri.replaced(x, pass.url.uri(), pass.prefixLength);
        } else {
            String text = pass.variableUrl.evaluate(x);
            ProxyUrl url;
            try {
                url = ProxyUrl.parse(text);
            } catch (ProxyUrl.Invalid e) {
                log.error("{}, client: {}", e.getMessage(), x.remoteAddress().getAddress().getHostAddress());
                return 500;
            }
            if (url.https()) {
                if (c.tls() == null) {
                    log.error("no SSL context for \"{}\"", text);
                    return 502;
                }
                tlsHost = url.bareHost();
            }
            group = runtimeGroup(url);
            if (group == null) {
                log.error("no resolver defined to resolve {}, client: {}", url.host(),
                        x.remoteAddress().getAddress().getHostAddress());
                return 502;
            }
            proxyHost = url.proxyHost();
            uri = url.uri().isEmpty() ? ProxyUri.unparsed(x) : url.uri();
        }
        ProxyRequest r = new ProxyRequest(x, c, group, uri, proxyHost);
        if (tlsHost != null) {
            r.tls(c.tls(), c.tls().name(tlsHost));
        }
        x.set(request, r);
        // ---- proxy_cache (io.jwtgate.proxy.cache): a hit is answered from the cache, a miss starts r through it
        if (c.cache() != null && c.cache().enabled()) {
            r.cache = cache.prepare(x, d, c.cache(), r::start);
            if (r.cache != null) {
                r.cache.start();
                return PhaseHandler.OK;
            }
        }
        r.start();
        return PhaseHandler.OK;
    }

    /** The upstream a URL evaluated at request time names: an upstream block, or an address; never a DNS lookup. */
    private UpstreamGroup runtimeGroup(ProxyUrl url) {
        if (!url.explicitPort()) {
            UpstreamGroup g = groupsByName.get(ConfValues.lower(url.host()));
            if (g != null) {
                return g;
            }
        }
        InetAddress a = literal(url.bareHost());
        if (a == null) {
            return null;
        }
        InetSocketAddress sa = new InetSocketAddress(a, url.port());
        return UpstreamGroup.transientPeer(url.proxyHost(), Peer.of(sa, 1, 0, 0, false, false));
    }

    /** An IP address literal, parsed without any lookup; {@code null} for a name. */
    static InetAddress literal(String host) {
        boolean v4 = !host.isEmpty();
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.') {
                v4 = false;
                break;
            }
        }
        boolean v6 = host.indexOf(':') >= 0;
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
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
            String addr = x.remoteAddress().getAddress().getHostAddress();
            List<String> prior = x.headers("X-Forwarded-For");
            if (prior.isEmpty()) {
                return addr;
            }
            return String.join(", ", prior) + ", " + addr;
        }, null, 0);
        v.define("upstream_addr", (x, d) -> {
            ProxyRequest r = x.get(request);
            return r == null ? null : r.upstreamAddr();
        }, null, Variables.NOCACHE);
        v.define("upstream_status", (x, d) -> {
            ProxyRequest r = x.get(request);
            return r == null ? null : r.upstreamStatus();
        }, null, Variables.NOCACHE);
        v.define("upstream_cache_status", (x, d) -> { // proxy_cache (io.jwtgate.proxy.cache)
            ProxyRequest r = x.get(request);
            CacheRequest cr = r == null ? null : r.cache;
            return cr == null ? null : cr.status();
        }, null, Variables.NOCACHE);
        try {
            cache.preconfiguration(v);
            proxyHostValue = v.compile("$proxy_host", null);
        } catch (ConfException e) {
            throw new IllegalStateException(e);
        }
    }
}
