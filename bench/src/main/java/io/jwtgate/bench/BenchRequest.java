package io.jwtgate.bench;

import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.PhaseEngine;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.ServerConf;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.http.VirtualServer;
import io.jwtgate.core.http.route.LocationMatch;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.var.Variable;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A request without a connection, for running a configuration's phase handlers in a benchmark: a fixed request line
 * and one header, a variable cache as the server keeps one, the location looked up by the server's own tree, and
 * the answer only recorded. What the phases under test do not use is unsupported.
 */
final class BenchRequest extends HttpExchange implements PhaseEngine.Run {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);

    private final VirtualServer server;
    private final Variable[] table;
    private final String[] values;
    private final boolean[] known;
    private final String startUri;
    private final String startArgs;
    private final List<String[]> headers;
    private String uri;
    private String args;
    private LocationConf location;
    private RegexCaptures captures = RegexCaptures.NONE;
    private boolean uriChanged;
    private int handlerIndex;
    private int status;

    BenchRequest(VirtualServer server, Variable[] table, String uri, String args, List<String[]> headers) {
        this.server = server;
        this.table = table;
        this.values = new String[table.length];
        this.known = new boolean[table.length];
        this.startUri = uri;
        this.startArgs = args;
        this.headers = headers;
    }

    /** Runs the request from the server rewrite phase; the status it ended with. */
    int run(PhaseEngine engine) {
        uri = startUri;
        args = startArgs;
        location = server.conf().conf();
        captures = RegexCaptures.NONE;
        uriChanged = false;
        handlerIndex = engine.serverRewriteIndex();
        status = 0;
        Arrays.fill(known, false);
        engine.run(this);
        return status;
    }

    // ---- PhaseEngine.Run

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
        return 0;
    }

    @Override
    public void accessCode(int code) {
    }

    @Override
    public boolean satisfyAny() {
        return false;
    }

    @Override
    public int flowEpoch() {
        return 0;
    }

    @Override
    public boolean findConfig() {
        uriChanged = false;
        LocationMatch<LocationConf> m = server.match(uri);
        location = m.isMatched() ? m.payload() : server.conf().conf();
        if (m.captures() != RegexCaptures.NONE) {
            captures = m.captures();
        }
        return true;
    }

    @Override
    public boolean uriChanged() {
        return uriChanged;
    }

    @Override
    public boolean spendUriChange() {
        throw new UnsupportedOperationException("the benchmark's scripts do not reroute");
    }

    @Override
    public void finish(int code) {
        status = code;
    }

    // ---- HttpExchange

    @Override
    public String method() {
        return "GET";
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
    public String requestUri() {
        return args == null ? startUri : startUri + "?" + startArgs;
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    @Override
    public List<String> headers(String name) {
        String v = header(name);
        return v == null ? List.of() : List.of(v);
    }

    @Override
    public List<String> variableHeaders(String name) {
        return headers(name.replace('_', '-'));
    }

    @Override
    public List<String[]> headerEntries() {
        return headers;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return REMOTE;
    }

    @Override
    public InetSocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public String host() {
        return server.conf().primaryName();
    }

    @Override
    public boolean isSubrequest() {
        return false;
    }

    @Override
    public HttpExchange mainRequest() {
        return this;
    }

    @Override
    public ServerConf server() {
        return server.conf();
    }

    @Override
    public LocationConf location() {
        return location;
    }

    @Override
    public <M> M main(MainSlot<M> slot) {
        return null;
    }

    @Override
    public <T> T get(RequestSlot<T> slot) {
        return null;
    }

    @Override
    public <T> void set(RequestSlot<T> slot, T state) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String variable(int index) {
        if (known[index]) {
            return values[index];
        }
        Variable v = table[index];
        String value = v.getter().get(this, v.data());
        if (v.cacheable()) {
            values[index] = value;
            known[index] = true;
        }
        return value;
    }

    @Override
    public Downstream downstream() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setVariable(int index, String value) {
        values[index] = value;
        known[index] = true;
    }

    @Override
    public String capture(int n) {
        return captures.group(n);
    }

    @Override
    public String capture(String name) {
        return captures.group(name);
    }

    @Override
    public void setCaptures(RegexCaptures c) {
        captures = c;
    }

    @Override
    public long startNanos() {
        return 0;
    }

    @Override
    public Executor eventLoop() {
        return Runnable::run;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public long bodyBytesSent() {
        return 0;
    }

    @Override
    public void sendResponse(int code, Response response) {
        status = code;
    }

    @Override
    public void prepareResponse(int code, Response response) {
    }

    @Override
    public void subrequest(String target, int maxBody, Consumer<HttpExchange> prepare,
            Consumer<SubrequestResult> done) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void resume(int result) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void finalizeRequest(int code) {
        status = code;
    }

    @Override
    public void internalRedirect(String target, String targetArgs) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void namedLocation(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setUri(String newUri, String newArgs, boolean reroute) {
        uri = newUri;
        args = newArgs;
        uriChanged |= reroute;
    }

    @Override
    public void cancelReroute() {
        uriChanged = false;
    }

    @Override
    public void useLocation(LocationConf loc) {
        location = loc;
    }
}
