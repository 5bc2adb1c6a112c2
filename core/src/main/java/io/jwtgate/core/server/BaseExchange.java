package io.jwtgate.core.server;

import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.ErrorPage;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.PhaseEngine;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.http.ServerConf;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.http.route.LocationMatch;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.http.route.UriNormalizer;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.var.Variable;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client request and a subrequest share: the configuration they run on, the route, per-module state, the
 * variable cache and the phase engine's position.
 */
abstract class BaseExchange extends HttpExchange implements PhaseEngine.Run {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");
    private static final byte COMPUTING = 1;
    private static final byte DONE = 2;
    /** Subrequests of subrequests stop here, so a configuration cannot make a request loop forever. */
    static final int MAX_SUBREQUEST_DEPTH = 4;

    final HttpRuntime runtime;
    final Route route;
    private final long startNanos = System.nanoTime();
    private final Object[] moduleCtx;
    private final String[] values;
    private final byte[] valueState;

    private int handlerIndex;
    private int accessCode;
    private int preparedStatus;
    private Response prepared;
    /** nginx's {@code r->err_status}: the status the answer goes out with, 0 for its own. */
    private int errStatus;
    /** nginx's {@code r->error_page}: an error page was used and recursion is off. */
    private boolean errorPageUsed;
    private String redirectedMethod;
    private List<String[]> keptHeaders = List.of();

    BaseExchange(HttpRuntime runtime, Route route) {
        this.runtime = runtime;
        this.route = route;
        this.moduleCtx = new Object[runtime.requestSlots()];
        int nvars = runtime.variables().length;
        this.values = new String[nvars];
        this.valueState = new byte[nvars];
    }

    /** How deep in subrequests this request is: 0 for a client request. */
    abstract int depth();

    /** The client request this (sub)request belongs to. */
    abstract Exchange main();

    @Override
    public final HttpExchange mainRequest() {
        return main();
    }

    /** The request line and headers, which {@link #header} and {@link #headers} read for both kinds of request. */
    abstract HttpRequest request();

    void start() {
        runtime.engine().run(this);
    }

    @Override
    public String uri() {
        return route.uri();
    }

    @Override
    public String args() {
        return route.args();
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
        List<String> values = new ArrayList<>(1);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = request().headers().iteratorCharSequence();
                it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (isVariableName(e.getKey(), name)) {
                values.add(e.getValue().toString());
            }
        }
        return values;
    }

    private static boolean isVariableName(CharSequence header, String name) {
        if (header.length() != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = header.charAt(i);
            if ((c == '-' ? '_' : lowerAscii(c)) != lowerAscii(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    @Override
    public ServerConf server() {
        return route.server().conf();
    }

    @Override
    public LocationConf location() {
        return route.location();
    }

    @Override
    public <M> M main(io.jwtgate.core.http.MainSlot<M> slot) {
        return runtime.main(slot);
    }

    @Override
    @SuppressWarnings("unchecked") // set(slot, state) stores only a T at the slot's index
    public <T> T get(RequestSlot<T> slot) {
        return (T) moduleCtx[slot.index()];
    }

    @Override
    public <T> void set(RequestSlot<T> slot, T state) {
        moduleCtx[slot.index()] = state;
    }

    @Override
    public String variable(int index) {
        byte st = valueState[index];
        if (st == DONE) {
            return values[index];
        }
        Variable v = runtime.variables()[index];
        if (st == COMPUTING) {
            log.error("cycle while evaluating variable \"{}\"", v.name());
            return null;
        }
        valueState[index] = COMPUTING;
        String value;
        try {
            value = v.getter().get(this, v.data());
        } finally {
            valueState[index] = 0;
        }
        if (v.cacheable()) {
            values[index] = value;
            valueState[index] = DONE;
        }
        return value;
    }

    @Override
    public String capture(int n) {
        return route.capture(n);
    }

    @Override
    public String capture(String name) {
        return route.captures().group(name);
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    // ---- phase engine

    @Override
    public HttpExchange exchange() {
        return this;
    }

    @Override
    public int handlerIndex() {
        return handlerIndex;
    }

    @Override
    public void handlerIndex(int index) {
        handlerIndex = index;
    }

    @Override
    public int accessCode() {
        return accessCode;
    }

    @Override
    public void accessCode(int code) {
        accessCode = code;
    }

    @Override
    public boolean satisfyAny() {
        return route.location().core().satisfyAny();
    }

    @Override
    public void resume(int result) {
        runtime.engine().resume(this, result);
    }

    @Override
    public void prepareResponse(int code, Response response) {
        preparedStatus = code;
        prepared = response;
    }

    /** The response for ending with {@code code}: the one a module prepared for it, else the default page. */
    Response responseFor(int code) {
        return prepared != null && preparedStatus == code ? prepared : StatusPages.page(code);
    }

    // ---- ending a request with a status (docs/configuration.md#error_page)

    /** Sends nginx's answer for ending with {@code code}: the prepared response or the default page, or nothing. */
    abstract void sendSpecial(int code);

    /** Turns keep-alive off for this request's connection. */
    abstract void disableKeepAlive();

    @Override
    public final void finish(int code) {
        finalizeRequest(code);
    }

    /**
     * nginx's {@code ngx_http_special_response_handler}: the status becomes the answer's ({@code r->err_status}),
     * and the location's {@code error_page} for it, if any, takes the request elsewhere, once unless
     * {@code recursive_error_pages} is on.
     */
    @Override
    public void finalizeRequest(int code) {
        if (code < 300 || code == 444 || code == 408 || code == 499) {
            sendSpecial(code); // nginx closes without an answer on 444, 408 and 499
            return;
        }
        errStatus = code;
        if (closesConnection(code)) {
            disableKeepAlive();
        }
        CoreLocConf core = location().core();
        if (!errorPageUsed && !core.errorPages().isEmpty()) {
            errorPageUsed = !core.recursiveErrorPages();
            ErrorPage page = core.errorPage(code);
            if (page != null) {
                sendErrorPage(page, code);
                return;
            }
        }
        sendSpecial(code);
    }

    /** nginx turns keep-alive off after these errors ({@code ngx_http_special_response_handler}). */
    static boolean closesConnection(int code) {
        return code == 400 || code == 408 || code == 413 || code == 414 || code == 495 || code == 496 || code == 497
                || code == 500 || code == 501;
    }

    /**
     * nginx's {@code ngx_http_send_error_page}. The headers of the response prepared for {@code code} (a JWT
     * challenge's {@code WWW-Authenticate}, a {@code return}'s {@code Location}) stay on whatever answers instead,
     * as nginx leaves its {@code r->headers_out} as they were.
     */
    private void sendErrorPage(ErrorPage page, int code) {
        if (page.overwrite() != ErrorPage.KEEP_STATUS) {
            errStatus = page.overwrite();
        }
        if (prepared != null && preparedStatus == code) {
            keptHeaders = prepared.headers();
        }
        String uri = page.uri();
        String args = page.args();
        if (page.value() != null) {
            uri = page.value().apply(this);
            int q = uri.indexOf('?');
            if (uri.startsWith("/") && q >= 0) {
                args = uri.substring(q + 1);
                uri = uri.substring(0, q);
            }
        }
        if (uri.startsWith("/")) {
            if (!method().equals("HEAD")) {
                redirectedMethod = "GET";
            }
            internalRedirect(uri, args);
            return;
        }
        if (uri.startsWith("@")) {
            namedLocation(uri.substring(1));
            return;
        }
        int o = page.overwrite();
        errStatus = o == 301 || o == 302 || o == 303 || o == 307 || o == 308 ? o : 302;
        // the URL replaces a Location kept; as written, not made absolute, so nginx writes it after the kept headers
        keptHeaders = keptHeaders.stream().filter(h -> !h[0].equalsIgnoreCase("Location")).toList();
        sendResponse(errStatus, StatusPages.page(errStatus).withHeader("Location", uri));
    }

    /** The status that goes out for a response of {@code code}: the one an error page fixed, if any. */
    int statusToSend(int code) {
        return errStatus != 0 ? errStatus : code;
    }

    /** The method an error page's internal redirect set ({@code GET}), or {@code null} for the request's own. */
    String redirectedMethod() {
        return redirectedMethod;
    }

    /** Headers an error page kept from the response it replaced; they go out before the answer's own. */
    List<String[]> keptHeaders() {
        return keptHeaders;
    }

    // ---- request flow: implemented by the request-flow work of issue 13

    @Override
    public void internalRedirect(String uri, String args) {
        throw new UnsupportedOperationException("internal redirect");
    }

    @Override
    public void namedLocation(String name) {
        throw new UnsupportedOperationException("named location");
    }

    @Override
    public void setUri(String uri, String args, boolean reroute) {
        throw new UnsupportedOperationException("setUri");
    }

    @Override
    public void cancelReroute() {
        throw new UnsupportedOperationException("cancelReroute");
    }

    @Override
    public void useLocation(LocationConf location) {
        throw new UnsupportedOperationException("useLocation");
    }

    @Override
    public void setCaptures(RegexCaptures captures) {
        throw new UnsupportedOperationException("setCaptures");
    }

    @Override
    public void setVariable(int index, String value) {
        throw new UnsupportedOperationException("setVariable");
    }

    // ---- subrequests

    @Override
    public void subrequest(String uri, int maxBody, Consumer<HttpExchange> prepare,
            Consumer<SubrequestResult> done) {
        if (depth() >= MAX_SUBREQUEST_DEPTH) {
            log.error("subrequests nested too deeply while requesting \"{}\"", uri);
            done.accept(new SubrequestResult(500, Map.of(), new byte[0], true));
            return;
        }
        int q = uri.indexOf('?');
        String path = UriNormalizer.normalize(q < 0 ? uri : uri.substring(0, q));
        if (path == null) {
            log.error("invalid subrequest URI \"{}\"", uri);
            done.accept(new SubrequestResult(500, Map.of(), new byte[0], true));
            return;
        }
        String args = q < 0 ? null : uri.substring(q + 1);
        LocationMatch<LocationConf> m = route.server().match(path);
        LocationConf loc = m.isMatched() && !m.isAutoRedirect() ? m.payload() : route.server().conf().conf();
        RegexCaptures captures = m.captures();
        Route r = new Route(path, args, route.host(), route.server(), loc, captures);
        Subrequest sr = new Subrequest(this, r, uri, maxBody, done);
        prepare.accept(sr);
        if (!m.isMatched()) {
            sr.finish(404);
            return;
        }
        sr.start();
    }
}
