package io.jwtgate.core.server;

import io.jwtgate.core.http.BodyFilter;
import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.SubrequestOptions;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.http.Transport;
import io.jwtgate.core.http.WireFacts;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.tls.ClientTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A main request with no client connection behind it, for the work a configuration does before it serves
 * (docs/modules.md#warm-up): it makes one {@link Subrequest}, exactly as a client request of the same server would
 * (its locations, {@code proxy_cache}, header filters, the memory limit of its body), and ends when that answered.
 * It never runs the phases itself and sends nothing: it is the subrequest's parent, seen as {@code GET /} from
 * {@code 127.0.0.1} to the server's first {@code listen} address, with only {@code Host} (the server's first name).
 * Not written to the access log (nginx logs main requests, and this one has no client). Lives on one event loop.
 */
final class DetachedRequest extends BaseExchange implements Downstream {

    /** The client address a detached request shows ({@code $remote_addr}): the gateway itself. */
    private static final InetSocketAddress SELF = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final DetachedRoute place;
    private final EventLoop loop;
    private final Transport transport;
    /** Netty's futures need a channel: the subrequest's are made on one that has no connection and carries nothing. */
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final HttpRequest request;
    private final Hooks cleanups = new Hooks("request cleanup");
    private final WireFacts wire = new NoWire(startNanos());
    private InetSocketAddress clientAddress;
    private boolean ended;

    private DetachedRequest(HttpRuntime runtime, DetachedRoute place, EventLoop loop, Transport transport) {
        super(runtime, new Route("/", null, null, place.server(), RegexCaptures.NONE), true);
        this.place = place;
        this.loop = loop;
        this.transport = transport;
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.HOST, host());
        this.request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", h);
    }

    /**
     * Runs {@code GET uri} as a subrequest of a detached request on {@code loop}; call on {@code loop}. {@code done}
     * gets the answer, then the detached request ends: its cleanups run (the proxy's temporary files...).
     */
    static void run(HttpRuntime runtime, DetachedRoute place, EventLoop loop, Transport transport, String uri,
            SubrequestOptions options, Consumer<HttpExchange> prepare, Consumer<SubrequestResult> done) {
        DetachedRequest main = new DetachedRequest(runtime, place, loop, transport);
        main.subrequest(uri, options, prepare, r -> {
            try {
                done.accept(r);
            } finally {
                main.end();
            }
        });
    }

    private void end() {
        ended = true;
        cleanups.run();
        channel.close();
    }

    @Override
    int depth() {
        return 0;
    }

    @Override
    BaseExchange main() {
        return this;
    }

    @Override
    boolean finished() {
        return ended;
    }

    @Override
    Channel channel() {
        return channel;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    void updateLocationConfig() {
        // no connection whose limits would change
    }

    // ---- HttpExchange: GET / with only Host, from the gateway itself

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String requestUri() {
        return request.uri();
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public List<String[]> headerEntries() {
        return List.<String[]>of(new String[] {"Host", host()});
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return clientAddress != null ? clientAddress : SELF;
    }

    @Override
    public void setRemoteAddress(InetSocketAddress address) {
        clientAddress = address;
    }

    @Override
    public InetSocketAddress connectionAddress() {
        return SELF;
    }

    @Override
    public ProxyProtocolAddresses proxyProtocol() {
        return null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return place.local();
    }

    @Override
    public String scheme() {
        return place.ssl() ? "https" : "http";
    }

    @Override
    public ClientTls tls() {
        return null;
    }

    @Override
    public String host() {
        return route.server().conf().primaryName();
    }

    @Override
    public String requestHost() {
        return null;
    }

    @Override
    public boolean isSubrequest() {
        return false;
    }

    @Override
    public Executor eventLoop() {
        return loop;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return loop.schedule(task, delay, unit);
    }

    @Override
    public void onRequestEnd(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    @Override
    public WireFacts wire() {
        return wire;
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
    public long contentLength() {
        return 0;
    }

    // ---- answering: nothing runs the phases here, so nothing answers this request; only its subrequest answers

    @Override
    public void sendResponse(int status, Response response) {
        throw new IllegalStateException("a detached request is never answered");
    }

    @Override
    void finish(int status) {
        throw new IllegalStateException("a detached request is never answered");
    }

    @Override
    void disableKeepAlive() {
        // no connection
    }

    @Override
    public void addBodyFilter(BodyFilter filter) {
        throw new IllegalStateException("a detached request is never answered");
    }

    @Override
    public boolean bodyFiltered() {
        return false;
    }

    // ---- Downstream: what the subrequest takes from its main request (the loop, the transport, close listeners)

    @Override
    public Downstream downstream() {
        return this;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public boolean hasBody() {
        return false;
    }

    @Override
    public void readBody(BodyReader reader) {
        reader.onBody(LastHttpContent.EMPTY_LAST_CONTENT, true);
    }

    @Override
    public void requestBody() {
        // no body
    }

    /** No client can go away: the listeners would never run. */
    @Override
    public void onClose(Runnable listener) {
        // nothing to listen to
    }

    @Override
    public ChannelFuture sendHead(HttpResponse head) {
        throw new IllegalStateException("a detached request is never answered");
    }

    @Override
    public ChannelFuture sendBody(HttpContent content) {
        content.release();
        throw new IllegalStateException("a detached request is never answered");
    }

    @Override
    public void endResponse(LastHttpContent last) {
        last.release();
        throw new IllegalStateException("a detached request is never answered");
    }

    @Override
    public void abort(String reason) {
        throw new IllegalStateException("a detached request is never answered");
    }

    @Override
    public boolean headSent() {
        return false;
    }

    /** Nothing was sent or received on a wire; "connected" when the request began. */
    private record NoWire(long connectedAtNanos) implements WireFacts {

        @Override
        public long requestLength() {
            return 0;
        }

        @Override
        public long bytesSent() {
            return 0;
        }

        @Override
        public long connectionNumber() {
            return 0;
        }

        @Override
        public int connectionRequests() {
            return 1;
        }

        @Override
        public String sentHeader(String name) {
            return null;
        }

        @Override
        public String tcpInfo(String field) {
            return null;
        }
    }
}
