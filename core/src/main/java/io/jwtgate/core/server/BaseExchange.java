package io.jwtgate.core.server;

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

    // ---- request flow: implemented by the request-flow work of issue 13

    @Override
    public void finalizeRequest(int status) {
        finish(status);
    }

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
