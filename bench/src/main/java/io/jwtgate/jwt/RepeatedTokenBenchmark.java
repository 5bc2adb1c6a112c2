package io.jwtgate.jwt;

import io.jwtgate.bench.TokenFixtures;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.HeaderFilter;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.ServerConf;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.var.Variables;
import io.jwtgate.jose.Algorithm;
import io.jwtgate.jose.CryptoProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JWT module's access handler for a client that reuses its token, as the gateway runs it per request: the token
 * from {@code Authorization}, the verified-token cache, the per-request checks ({@code exp}, {@code jwt_issuer}) and
 * the verdict, on a fresh per-request state each call. The module is driven through its public life cycle
 * ({@code postconfiguration}, then the ACCESS handler it registers) with a minimal exchange, so that the benchmark
 * does not depend on how the module is organised inside. Compare with {@code TokenCacheBenchmark.cached}, which is
 * the cache and the checks alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RepeatedTokenBenchmark {

    @Param({"HS256", "ES256"})
    public String alg;

    private PhaseHandler access;
    private BenchExchange x;

    @Setup
    public void setup() throws Exception {
        CryptoProvider crypto = CryptoProvider.preferred();
        TokenFixtures fx = TokenFixtures.create(Algorithm.forName(alg), crypto,
                "{\"sub\":\"user-1\",\"exp\":4102444800,\"iss\":\"https://issuer.example\"}");
        JwtModule module = new JwtModule(InstantSource.system(), crypto);
        module.conf.bind(0);
        module.main.bind(0);
        module.state.bind(0);
        JwtConf.Draft d = module.conf.create();
        d.enabled = Boolean.TRUE;
        d.keys = List.of(fx.keys);
        d.issuers = Set.of("https://issuer.example");
        LocationConf lc = new LocationConf("/api", false, CoreLocConf.DEFAULT,
                new Object[] {module.conf.merge(null, d)});
        Object main = module.main.create();
        Init init = new Init(lc, main);
        module.postconfiguration(init);
        access = init.access;
        x = new BenchExchange(lc, main, "Bearer " + fx.token);
        // the cache keeps a verdict the second time it sees a token
        for (int i = 0; i < 3; i++) {
            if (request() != PhaseHandler.OK) {
                throw new IllegalStateException("fixture token rejected");
            }
        }
    }

    @Benchmark
    public int repeatedToken() {
        return request();
    }

    private int request() {
        x.state = null;
        return access.handle(x);
    }

    /** What post-configuration needs of the core: one location, the main configuration, the ACCESS handler. */
    private static final class Init implements HttpInit {
        private final LocationConf lc;
        private final Object main;
        PhaseHandler access;

        Init(LocationConf lc, Object main) {
            this.lc = lc;
            this.main = main;
        }

        @Override
        public void addHandler(Phase phase, PhaseHandler handler) {
            if (phase == Phase.ACCESS) {
                access = handler;
            }
        }

        @Override
        public void addHeaderFilter(HeaderFilter filter) {
        }

        @Override
        @SuppressWarnings("unchecked")
        public <M> M main(MainSlot<M> slot) {
            return (M) main;
        }

        @Override
        public Variables variables() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<LocationConf> locations() {
            return List.of(lc);
        }

        @Override
        public LocationConf subrequestTarget(LocationConf from, String uri) {
            return null;
        }

        @Override
        public ContentOrigin contentOrigin(LocationConf location) {
            return null;
        }

        @Override
        public void warn(ConfDirective d, String message) {
        }

        @Override
        public Path resolvePath(String path) {
            return Path.of(path);
        }

        @Override
        public void addLifecycle(Lifecycle lifecycle) {
        }
    }

    /** A request with one {@code Authorization} header; what the JWT module does not read is unsupported. */
    private static final class BenchExchange extends HttpExchange {
        private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
        private final LocationConf lc;
        private final Object main;
        private final String authorization;
        Object state;

        BenchExchange(LocationConf lc, Object main, String authorization) {
            this.lc = lc;
            this.main = main;
            this.authorization = authorization;
        }

        @Override
        public String header(String name) {
            return name.equalsIgnoreCase("Authorization") ? authorization : null;
        }

        @Override
        public LocationConf location() {
            return lc;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <M> M main(MainSlot<M> slot) {
            return (M) main;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get(RequestSlot<T> slot) {
            return (T) state;
        }

        @Override
        public <T> void set(RequestSlot<T> slot, T value) {
            state = value;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return CLIENT;
        }

        @Override
        public void prepareResponse(int status, Response response) {
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String uri() {
            return "/api";
        }

        @Override
        public String args() {
            return null;
        }

        @Override
        public String requestUri() {
            return "/api";
        }

        @Override
        public String protocol() {
            return "HTTP/1.1";
        }

        @Override
        public List<String> headers(String name) {
            String v = header(name);
            return v == null ? List.of() : List.of(v);
        }

        @Override
        public List<String> variableHeaders(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String[]> headerEntries() {
            throw new UnsupportedOperationException();
        }

        @Override
        public InetSocketAddress localAddress() {
            return CLIENT;
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public String host() {
            return "localhost";
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
            throw new UnsupportedOperationException();
        }

        @Override
        public String variable(int index) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String capture(int n) {
            return null;
        }

        @Override
        public String capture(String name) {
            return null;
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
            return 0;
        }

        @Override
        public long bodyBytesSent() {
            return 0;
        }

        @Override
        public void sendResponse(int status, Response response) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void subrequest(String uri, int maxBody, Consumer<HttpExchange> prepare,
                Consumer<SubrequestResult> done) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void resume(int result) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Downstream downstream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void finalizeRequest(int status) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void internalRedirect(String uri, String args) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void namedLocation(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setUri(String uri, String args, boolean reroute) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cancelReroute() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void useLocation(LocationConf location) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setCaptures(RegexCaptures captures) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setVariable(int index, String value) {
            throw new UnsupportedOperationException();
        }
    }
}
