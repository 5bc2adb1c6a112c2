package io.jwtgate.bench;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.config.ConfigLoader;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.PhaseEngine;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.ServerConf;
import io.jwtgate.core.http.VirtualServer;
import io.jwtgate.core.http.route.LocationMatch;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.server.HttpRuntime;
import io.jwtgate.core.var.Variable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request without a connection, for running a loaded configuration's phases in a benchmark: a fixed request line
 * and headers, on the default server of the configuration's first {@code listen}; a variable cache and per-module
 * state as the server keeps them, both new on every {@link #run()}; the location looked up by the server's own
 * tree; the answer only recorded. What it lacks for having no connection is {@link ConnectionlessExchange}'s:
 * measuring streaming, subrequests or redirects needs the core's own exchange (docs/performance.md#micro-benchmarks).
 */
final class BenchRequest extends ConnectionlessExchange implements PhaseEngine.Run {

    private final HttpRuntime http;
    private final VirtualServer server;
    private final Variable[] table;
    private final String[] values;
    private final boolean[] known;
    private final Object[] moduleState;
    private final String startUri;
    private final String startArgs;
    private final List<String[]> headers;
    private String uri;
    private String args;
    private LocationConf location;
    private RegexCaptures captures = RegexCaptures.NONE;
    private boolean uriChanged;
    private boolean uriAsSent = true;
    private int handlerIndex;
    private int status;
    private InetSocketAddress remote = REMOTE;
    private final List<Runnable> cleanups = new ArrayList<>();

    BenchRequest(HttpRuntime http, String uri, String args, List<String[]> headers) {
        this.http = http;
        this.server = http.listens().get(0).wildcard().defaultServer();
        this.table = http.variables();
        this.values = new String[table.length];
        this.known = new boolean[table.length];
        this.moduleState = new Object[http.requestSlots()];
        this.startUri = uri;
        this.startArgs = args;
        this.headers = headers;
    }

    /**
     * Loads {@code conf} as {@code nginx.conf} in {@code dir} (where files it names relative may be put) with the
     * core's modules and {@code modules} after them, as the gateway orders them.
     */
    static HttpRuntime load(Path dir, String conf, HttpModule... modules) throws IOException, ConfException {
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        List<HttpModule> all = new ArrayList<>(CoreModules.create());
        all.addAll(List.of(modules));
        return new ConfigLoader(all).load(file).http();
    }

    /** Runs the request from the post-read phase, then its cleanups; the status it ended with. */
    int run() {
        uri = startUri;
        args = startArgs;
        location = server.conf().conf();
        captures = RegexCaptures.NONE;
        uriChanged = false;
        uriAsSent = true;
        handlerIndex = http.engine().startIndex();
        status = 0;
        remote = REMOTE;
        Arrays.fill(known, false);
        Arrays.fill(moduleState, null);
        http.engine().run(this);
        for (Runnable c : cleanups) {
            c.run();
        }
        cleanups.clear();
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
        return remote;
    }

    @Override
    public void setRemoteAddress(InetSocketAddress address) {
        remote = address;
    }

    @Override
    public void onRequestEnd(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    @Override
    public String host() {
        return server.conf().primaryName();
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
        return http.main(slot);
    }

    @Override
    @SuppressWarnings("unchecked") // set(slot, state) stores only a T at the slot's index
    public <T> T get(RequestSlot<T> slot) {
        return (T) moduleState[slot.index()];
    }

    @Override
    public <T> void set(RequestSlot<T> slot, T state) {
        moduleState[slot.index()] = state;
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
    public int status() {
        return status;
    }

    @Override
    public void sendResponse(int code, Response response) {
        status = code;
    }

    @Override
    public void resume(int result) {
        http.engine().resume(this, result);
    }

    @Override
    public void finalizeRequest(int code) {
        status = code;
    }

    @Override
    public void setUri(String newUri, String newArgs, boolean reroute) {
        uri = newUri;
        args = newArgs;
        uriChanged |= reroute;
        uriAsSent = false;
    }

    @Override
    public boolean isUriAsSent() {
        return uriAsSent;
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
