package io.jwtgate.core.server;

import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.RangeAnswer;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.ServerConf;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.http.SubrequestOptions;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.http.route.LocationMatch;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.http.route.UriNormalizer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client request and a subrequest share: the configuration they run on, the current URI, location and
 * captures, per-module state ({@link RequestSlots}), the variable values, the phase engine's position
 * ({@link PhaseRun}), and the request flow as nginx's core runs it (find config, URI changes, internal redirects,
 * named locations; docs/modules.md#request-flow).
 */
abstract class BaseExchange extends HttpExchange {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");
    /** Subrequests of subrequests stop here, so a configuration cannot make a request loop forever. */
    static final int MAX_SUBREQUEST_DEPTH = 4;
    /** nginx's {@code NGX_HTTP_MAX_URI_CHANGES}: the eleventh change of URI or location ends the request. */
    private static final int MAX_URI_CHANGES = 10;

    final HttpRuntime runtime;
    final Route route;
    private final long startNanos = System.nanoTime();
    final RequestSlots slots;
    private final RequestVariables variables;

    private String uri;
    private String args;
    private LocationConf location;
    private RegexCaptures captures;
    /** nginx's {@code r->internal}: {@code internal} locations are reachable. */
    private boolean internal;
    /** nginx's {@code r->valid_unparsed_uri}. */
    private boolean uriAsSent;
    /** nginx's {@code r->uri_changed}: the location is looked up again after the rewrite phase. */
    private boolean uriChanged;
    /** nginx's {@code r->uri_changes}: what is left of the budget of URI changes. */
    private int uriChanges = MAX_URI_CHANGES + 1;
    /** nginx's {@code r->limit_rate}, -1 until set. */
    private long limitRate = -1;
    private final PhaseRun run = new PhaseRun(this);
    final SpecialResponse special = new SpecialResponse(this);
    private RangeAnswer ranges;

    /** A request for {@code route}, with the server's own configuration until find config chooses a location. */
    BaseExchange(HttpRuntime runtime, Route route, boolean internal) {
        this.runtime = runtime;
        this.route = route;
        this.slots = new RequestSlots(runtime.requestSlots());
        this.variables = new RequestVariables(runtime.variables());
        this.uri = route.uri();
        this.args = route.args();
        this.location = route.server().conf().conf();
        this.captures = route.serverCaptures();
        // as nginx when it chooses the server: the name's named captures are variables from now on
        variables.storeNamedCaptures(captures);
        this.internal = internal;
        this.uriAsSent = !internal;
    }

    /** How deep in subrequests this request is: 0 for a client request. */
    abstract int depth();

    /** The main request this (sub)request belongs to: a client's ({@link Exchange}) or a {@link DetachedRequest}. */
    abstract BaseExchange main();

    /** Whether this request has ended (its log phase ran, or it was cut off). */
    abstract boolean finished();

    /**
     * The main request's channel, on which the futures a subrequest's {@code Downstream} hands back are made, with
     * its allocator.
     */
    abstract Channel channel();

    @Override
    public final HttpExchange mainRequest() {
        return main();
    }

    /** The request line and headers, which {@link #header} and {@link #headers} read for both kinds of request. */
    abstract HttpRequest request();

    /** The body length the request declares, -1 when chunked, 0 without a body. */
    public abstract long contentLength();

    /**
     * The part of nginx's {@code ngx_http_update_location_config} that is not configuration lookup: runs whenever
     * the request's location changes (keep-alive limits of the location).
     */
    abstract void updateLocationConfig();

    /** Runs the phases from the start: post-read for a client request, server rewrite for a subrequest. */
    void start() {
        run.from(isSubrequest() ? runtime.engine().serverRewriteIndex() : runtime.engine().startIndex());
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String args() {
        return args;
    }

    @Override
    public String header(String name) {
        return request().headers().get(name);
    }

    @Override
    public List<String> headers(String name) {
        return request().headers().getAll(name);
    }

    @Override
    public List<String> variableHeaders(String name) {
        return VariableHeaders.find(request().headers(), name);
    }

    @Override
    public ServerConf server() {
        return route.server().conf();
    }

    @Override
    public LocationConf location() {
        return location;
    }

    @Override
    public <M> M main(MainSlot<M> slot) {
        return runtime.main(slot);
    }

    @Override
    public <T> T get(RequestSlot<T> slot) {
        return slots.get(slot, main().slots);
    }

    @Override
    public <T> void set(RequestSlot<T> slot, T state) {
        slots.set(slot, state, main().slots);
    }

    @Override
    public String variable(int index) {
        return variables.get(this, index);
    }

    @Override
    public void setVariable(int index, String value) {
        variables.set(index, value);
    }

    @Override
    public String capture(int n) {
        return n <= captures.groupCount() ? captures.group(n) : null;
    }

    @Override
    public String capture(String name) {
        return captures.group(name);
    }

    @Override
    public void setCaptures(RegexCaptures regexCaptures) {
        captures = regexCaptures;
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public long limitRate() {
        return Math.max(limitRate, 0);
    }

    @Override
    public void setLimitRate(long bytesPerSecond) {
        limitRate = bytesPerSecond;
    }

    /** Whether {@link #setLimitRate} was called: else the response takes {@code limit_rate}'s. */
    boolean limitRateSet() {
        return limitRate >= 0;
    }

    // ---- phase engine

    @Override
    public void resume(int result) {
        runtime.engine().resume(run, result);
    }

    @Override
    public void prepareResponse(int code, Response response) {
        special.prepare(code, response);
    }

    // ---- ending a request with a status (docs/configuration.md#error_page)

    /** Turns keep-alive off for this request's connection. */
    abstract void disableKeepAlive();

    /** Ends the request with a status (a prepared response or the default page), without {@code error_page}. */
    abstract void finish(int status);

    /** nginx's {@code ngx_http_finalize_request}: {@link SpecialResponse#end}. */
    @Override
    public void finalizeRequest(int code) {
        run.leave();
        special.end(code, uriChanges > 0);
    }

    @Override
    public void allowRanges(RangeAnswer answer) {
        ranges = answer;
    }

    @Override
    public RangeAnswer allowedRanges() {
        return ranges;
    }

    // ---- request flow (docs/modules.md#request-flow)

    /**
     * nginx's {@code ngx_http_core_find_config_phase}: the location for the current URI, then, in nginx's order, 404
     * for an {@code internal} location reached from outside, 413 for a declared body over the location's
     * {@code client_max_body_size}, and the automatic 301 of a location with a trailing slash.
     */
    boolean findConfig() {
        uriChanged = false;
        LocationMatch<LocationConf> m = route.server().match(uri);
        location = m.isMatched() ? m.payload() : route.server().conf().conf();
        if (m.captures() != RegexCaptures.NONE) {
            captures = m.captures();
            // as nginx, named captures are stored in their variables: a later regex of if or rewrite keeps them
            variables.storeNamedCaptures(captures);
        }
        if (!internal && location.internal()) {
            finalizeRequest(404);
            return false;
        }
        location = location.forMethod(method());
        updateLocationConfig();
        long max = location.core().clientMaxBodySize();
        long length = contentLength();
        if (max > 0 && length > max) {
            log.error("client intended to send too large body: {} bytes{}", length, ErrorContext.of(this));
            finalizeRequest(413);
            return false;
        }
        if (m.isAutoRedirect()) {
            prepareResponse(301, StatusPages.page(301).withRedirect(this,
                    m.pattern() + (args == null ? "" : "?" + args)));
            finalizeRequest(301);
            return false;
        }
        return true;
    }

    /** nginx's post-rewrite phase: whether the rewrite phase changed the URI with reroute. */
    boolean uriChanged() {
        return uriChanged;
    }

    /** Spends one of the request's URI changes for a reroute; {@code false} when that ended it with 500. */
    boolean spendUriChange() {
        if (!spend("while processing \"" + uri + "\"")) {
            return false;
        }
        location = route.server().conf().conf();
        return true;
    }

    /**
     * Whether the budget of URI changes is not used up (nginx's {@code r->uri_changes != 0}): {@code error_page}
     * redirects only then, so that the 500 of an exhausted budget cannot redirect again.
     */
    boolean uriChangesLeft() {
        return uriChanges > 0;
    }

    /** Takes one URI change from the budget; with none left logs nginx's line and ends the request with 500. */
    private boolean spend(String what) {
        if (uriChanges > 0 && --uriChanges > 0) {
            return true;
        }
        log.error("rewrite or internal redirection cycle {}{}", what, ErrorContext.of(this));
        finalizeRequest(500);
        return false;
    }

    @Override
    public void internalRedirect(String newUri, String newArgs) {
        if (!spend("while internally redirecting to \"" + newUri + "\"")) {
            return;
        }
        uri = newUri;
        args = newArgs;
        uriAsSent = false;
        redirect(route.server().conf().conf(), runtime.engine().serverRewriteIndex());
    }

    @Override
    public void keepForRedirect(List<String[]> headers, boolean asGet) {
        special.keepForRedirect(headers, asGet);
    }

    @Override
    public void namedLocation(String name) {
        // nginx's names keep their @ in its log lines
        if (!spend("while redirect to named location \"@" + name + "\"")) {
            return;
        }
        LocationConf named = route.server().named(name);
        if (named == null) {
            log.error("could not find named location \"@{}\"{}", name, ErrorContext.of(this));
            finalizeRequest(500);
            return;
        }
        uriChanged = false;
        redirect(named.forMethod(method()), runtime.engine().locationRewriteIndex());
    }

    /**
     * Goes on internally in {@code to}, with the module state the redirect keeps, running the phases again from
     * {@code index}; the run that called the redirect stops.
     */
    private void redirect(LocationConf to, int index) {
        internal = true;
        location = to;
        slots.redirected();
        updateLocationConfig();
        run.restart(index);
    }

    @Override
    public void setUri(String newUri, String newArgs, boolean reroute) {
        uri = newUri;
        args = newArgs;
        uriAsSent = false;
        if (reroute) {
            uriChanged = true;
        }
    }

    @Override
    public boolean isUriAsSent() {
        return uriAsSent;
    }

    @Override
    public boolean isInternal() {
        return internal;
    }

    @Override
    public void markInternal() {
        internal = true;
    }

    @Override
    public void cancelReroute() {
        uriChanged = false;
    }

    @Override
    public String contentType() {
        return runtime.contentTypes().apply(this);
    }

    @Override
    public void useLocation(LocationConf pseudoLocation) {
        location = pseudoLocation;
        updateLocationConfig();
    }

    // ---- subrequests

    @Override
    public void subrequest(String target, SubrequestOptions options, Consumer<HttpExchange> prepare,
            Consumer<SubrequestResult> done) {
        if (depth() >= MAX_SUBREQUEST_DEPTH) {
            log.error("subrequests nested too deeply while requesting \"{}\"", target);
            done.accept(new SubrequestResult(500, Map.of(), new byte[0], true, false));
            return;
        }
        int q = target.indexOf('?');
        String path = UriNormalizer.normalize(q < 0 ? target : target.substring(0, q));
        if (path == null) {
            log.error("invalid subrequest URI \"{}\"", target);
            done.accept(new SubrequestResult(500, Map.of(), new byte[0], true, false));
            return;
        }
        Route r = new Route(path, q < 0 ? null : target.substring(q + 1), route.host(), route.server(),
                RegexCaptures.NONE);
        Subrequest sr = new Subrequest(this, r, target, options, done);
        prepare.accept(sr);
        sr.start();
    }
}
