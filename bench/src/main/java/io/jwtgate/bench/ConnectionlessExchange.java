package io.jwtgate.bench;

import io.jwtgate.core.http.BodyFilter;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.core.http.RangeAnswer;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.SubrequestOptions;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.http.WireFacts;
import io.jwtgate.core.tls.ClientTls;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a benchmark request answers because it has no connection: a plain HTTP main request from a fixed client to a
 * fixed local address, whose answer is only recorded; streaming, body filters, ranges, timers, subrequests and
 * redirects throw (the benchmarked configurations never use them). {@link BenchRequest} adds the request itself.
 */
abstract class ConnectionlessExchange extends HttpExchange {

    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);
    static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);

    @Override
    public InetSocketAddress connectionAddress() {
        return REMOTE;
    }

    @Override
    public ProxyProtocolAddresses proxyProtocol() {
        return null;
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
    public ClientTls tls() {
        return null;
    }

    @Override
    public String requestHost() {
        return null;
    }

    @Override
    public String contentType() {
        return "text/plain";
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
    public Downstream downstream() {
        throw new UnsupportedOperationException("a benchmark request has no client connection to stream to");
    }

    @Override
    public void addBodyFilter(BodyFilter filter) {
        throw new UnsupportedOperationException("a benchmark request sends no body to filter");
    }

    @Override
    public boolean bodyFiltered() {
        return false;
    }

    @Override
    public void allowRanges(RangeAnswer answer) {
        throw new UnsupportedOperationException("a benchmark request sends no body to answer in ranges");
    }

    @Override
    public RangeAnswer allowedRanges() {
        return null;
    }

    @Override
    public long startNanos() {
        return 0;
    }

    @Override
    public WireFacts wire() {
        throw new UnsupportedOperationException("a benchmark request has no connection");
    }

    @Override
    public Executor eventLoop() {
        return Runnable::run;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("a benchmark request has no event loop to wait on");
    }

    @Override
    public long bodyBytesSent() {
        return 0;
    }

    @Override
    public long limitRate() {
        return 0;
    }

    @Override
    public void setLimitRate(long bytesPerSecond) {
    }

    @Override
    public void prepareResponse(int code, Response response) {
    }

    @Override
    public void subrequest(String target, SubrequestOptions options, Consumer<HttpExchange> prepare,
            Consumer<SubrequestResult> done) {
        throw new UnsupportedOperationException("a benchmark request makes no subrequests");
    }

    @Override
    public void internalRedirect(String target, String targetArgs) {
        throw new UnsupportedOperationException("a benchmark request is not redirected; the core's exchange is");
    }

    @Override
    public void keepForRedirect(List<String[]> headers, boolean asGet) {
        throw new UnsupportedOperationException("a benchmark request is not redirected; the core's exchange is");
    }

    @Override
    public void namedLocation(String name) {
        throw new UnsupportedOperationException("a benchmark request is not redirected; the core's exchange is");
    }

    @Override
    public boolean isInternal() {
        return false;
    }

    /** The benchmark's locations do not rewrite. */
    @Override
    public void markInternal() {
    }
}
