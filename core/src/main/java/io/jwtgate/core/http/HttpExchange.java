package io.jwtgate.core.http;

import io.jwtgate.core.codec.InetText;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.tls.ClientTls;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One request as modules see it: the request line and headers, the chosen server and location, per-module state,
 * variables, and the ways to answer. Everything here is used on the request's event loop only.
 */
public abstract class HttpExchange {

    // ---- request

    /** The method, e.g. {@code GET}. */
    public abstract String method();

    /** {@code $uri}: the normalised, decoded path. */
    public abstract String uri();

    /** {@code $args}: the query string without {@code ?}, or {@code null} when there is none. */
    public abstract String args();

    /** {@code $request_uri}: the request target exactly as the client sent it. */
    public abstract String requestUri();

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public abstract String protocol();

    /** {@code $request}: the method, the request target as sent and the protocol. */
    public final String requestLine() {
        return method() + " " + requestUri() + " " + protocol();
    }

    /** The first value of a request header, or {@code null}. */
    public abstract String header(String name);

    /** Every value of a request header, in order. */
    public abstract List<String> headers(String name);

    /**
     * Every value of the request headers {@code $http_NAME} reads, in order: those whose name is {@code name}, ASCII
     * case ignored and a {@code -} in the header's name read as {@code _} ({@code $http_x_user} reads
     * {@code X-User}, and {@code X_User} where {@code underscores_in_headers} let it in), as nginx's.
     */
    public abstract List<String> variableHeaders(String name);

    /** Every request header as name/value pairs, in order. */
    public abstract List<String[]> headerEntries();

    /**
     * The client's address ({@code $remote_addr}, {@code allow}/{@code deny}): the connection's peer, or the address
     * {@link #setRemoteAddress} put in its place.
     */
    public abstract InetSocketAddress remoteAddress();

    /**
     * Replaces the client's address for the rest of this client request, its internal redirects and subrequests
     * included, as nginx's realip module changes {@code c->sockaddr} until the request ends; the connection's next
     * request starts with its peer again (docs/modules.md#client-address-and-request-end).
     */
    public abstract void setRemoteAddress(InetSocketAddress address);

    /** The connection's peer, which {@link #setRemoteAddress} does not change ({@code $realip_remote_addr}). */
    public abstract InetSocketAddress connectionAddress();

    /**
     * The addresses the load balancer sent in the PROXY protocol header when the connection's {@code listen} has
     * {@code proxy_protocol}; {@code null} otherwise, and when the header gave none (v1 {@code UNKNOWN}, v2
     * {@code LOCAL}...). The same for every request of the connection.
     */
    public abstract ProxyProtocolAddresses proxyProtocol();

    public abstract InetSocketAddress localAddress();

    /** {@code http} or {@code https}. */
    public abstract String scheme();

    /**
     * The client connection's TLS, for the {@code $ssl_*} variables; {@code null} on a plain connection (plain HTTP
     * sent to a TLS port included). A subrequest sees its client request's.
     */
    public abstract ClientTls tls();

    /** {@code $host}: the normalised Host header, or the server's first name. */
    public abstract String host();

    /**
     * Whether this request was made inside the gateway ({@code jwt_key_request}, {@code auth_request}), not by a
     * client.
     */
    public abstract boolean isSubrequest();

    /** The client's request: this one, or for a subrequest the request it was made for. */
    public abstract HttpExchange mainRequest();

    /**
     * A redirect's {@code Location} as nginx's header filter writes it: with {@code absolute_redirect on} a path
     * becomes {@code scheme://host[:port]path}; the host is the server's first name with
     * {@code server_name_in_redirect on}, else the request's, else (no {@code Host}) the local address; the port
     * comes with {@code port_in_redirect on} when it is not the scheme's default. Anything else is returned as is.
     */
    public final String absoluteUrl(String location) {
        LocationConf loc = location();
        CoreLocConf c = loc == null ? CoreLocConf.DEFAULT : loc.core();
        if (!location.startsWith("/") || !c.absoluteRedirect()) {
            return location;
        }
        String host = c.serverNameInRedirect() ? server().primaryName() : requestHost();
        if (host == null) {
            host = InetText.text(localAddress().getAddress());
        }
        int port = localAddress().getPort();
        boolean defaultPort = !c.portInRedirect() || (scheme().equals("https") ? port == 443 : port == 80);
        return scheme() + "://" + host + (defaultPort ? "" : ":" + port) + location;
    }

    /**
     * The type of a response made from text here ({@code return 200 "..."}): by the URI's extension in
     * {@code types}, else {@code default_type} (nginx's {@code ngx_http_set_content_type}).
     */
    public abstract String contentType();

    /** The host the request names (its request line's, else its {@code Host}'s), or {@code null}. */
    public abstract String requestHost();

    // ---- configuration

    public abstract ServerConf server();

    public abstract LocationConf location();

    /**
     * The module's http-wide configuration (nginx's {@code ngx_http_get_module_main_conf}), as it was after
     * post-configuration; {@code null} when the module never created one.
     */
    public abstract <M> M main(MainSlot<M> slot);

    /** The module's merged configuration for this request's location. */
    public final <R> R conf(LocSlot<?, R> slot) {
        return location().get(slot);
    }

    // ---- per-request state

    /**
     * A module's state for this request, or {@code null} when none was set; for a slot of scope
     * {@link RequestSlot.Scope#WHOLE_REQUEST}, the client request's.
     */
    public abstract <T> T get(RequestSlot<T> slot);

    public abstract <T> void set(RequestSlot<T> slot, T state);

    /** A variable's value by index, computed on first use; {@code null} when not found. */
    public abstract String variable(int index);

    /**
     * Regex capture {@code $n} of the last regex that matched (a location's, the server name's, or one a module set
     * with {@link #setCaptures}), or {@code null}.
     */
    public abstract String capture(int n);

    /** A named regex capture ({@code (?<name>...)}) of the last regex that matched, or {@code null}. */
    public abstract String capture(String name);

    /**
     * Runs {@code cleanup} once when the client request ends, after its log phase, or when its connection closes
     * first: nginx's cleanup on the main request's pool ({@code limit_conn} gives its slot back). From a
     * subrequest it registers on the client request. Cleanups run on the event loop, in the order registered.
     */
    public abstract void onRequestEnd(Runnable cleanup);

    /** When the request started, from {@link System#nanoTime()}. */
    public abstract long startNanos();

    /** The request and its connection on the wire; a subrequest answers with its main request's. */
    public abstract WireFacts wire();

    /** The request's event loop, to hop back onto after asynchronous work finished elsewhere. */
    public abstract Executor eventLoop();

    /**
     * Runs {@code task} on the request's event loop after {@code delay} ({@code limit_req}'s delay: a timer, never a
     * blocked loop); cancel the returned future when the wait is no longer wanted.
     */
    public abstract ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);

    // ---- answering

    /**
     * The status of the response, once one is chosen; before, the status an {@code error_page} is answering for
     * (nginx's {@code r->err_status}, what {@code $status} shows in the error page's location); else 0.
     */
    public abstract int status();

    /** Response body bytes written to the client so far ({@code $body_bytes_sent}). */
    public abstract long bodyBytesSent();

    /**
     * nginx's {@code r->limit_rate}, {@code $limit_rate}: the bytes per second the response goes out at, 0 for no
     * limit. 0 until set ({@code set $limit_rate}, an upstream's {@code X-Accel-Limit-Rate}) or until the response
     * starts, which takes {@code limit_rate}'s, as nginx's write filter does.
     */
    public abstract long limitRate();

    /** Sets {@link #limitRate()}: the response, if it has not started, goes out at this rate (0: no limit). */
    public abstract void setLimitRate(long bytesPerSecond);

    /**
     * Sends a complete response generated by the gateway and ends the request. {@code add_header} and other header
     * filters apply. For HEAD the body is not sent.
     */
    public abstract void sendResponse(int status, Response response);

    /**
     * Installs {@code filter} on the body of the response being sent, after those installed before it; only a
     * header filter calls this, for the response whose head it sees (docs/modules.md#header-and-body-filters).
     * Whatever way the response ends, the core closes the filter.
     */
    public abstract void addBodyFilter(BodyFilter filter);

    /**
     * Whether the response whose head went out has body filters, so that its body must pass through them (a file
     * cannot then go zero-copy); false for a {@code HEAD} request, whose body is not sent.
     */
    public abstract boolean bodyFiltered();

    /**
     * nginx's {@code r->allow_ranges}: the response about to be sent may be answered in ranges, as {@code answer}
     * read them; the core's range filter, the last header filter, applies them ({@link RangeAnswer}).
     */
    public abstract void allowRanges(RangeAnswer answer);

    /** What {@link #allowRanges} was given for this request, or {@code null}. */
    public abstract RangeAnswer allowedRanges();

    /**
     * Registers the response to send if the request ends with {@code status} from a phase handler, so that an access
     * module can shape its denial (a {@code WWW-Authenticate} challenge) even when {@code satisfy any} decides later.
     */
    public abstract void prepareResponse(int status, Response response);

    /**
     * Runs an in-process {@code GET uri} through this request's server, as nginx's subrequests do: it may reach
     * {@code internal} locations and skips the access phase. {@code options} say whether it carries this request's
     * headers (else only {@code Host}; never a body) and whether it keeps the response body in memory, up to a
     * limit, or ends with the response head ({@link SubrequestOptions}). {@code prepare} sees the subrequest before
     * it runs (to set module state; the same object may be read after {@code done}, for its variables);
     * {@code done} runs on this request's event loop, possibly before this method returns. When the client goes
     * away first, the subrequest is cancelled (its proxy closes its upstream connection) and {@code done} never
     * runs.
     */
    public abstract void subrequest(String uri, SubrequestOptions options, Consumer<HttpExchange> prepare,
            Consumer<SubrequestResult> done);

    /**
     * The streaming side of this request, for a content handler that relays a body (the proxy): the request line
     * and headers to forward, the request body piece by piece, the response head and body piece by piece
     * ({@code docs/modules.md#content-handlers}). The same object for the whole request; for a subrequest it
     * keeps the response in memory.
     */
    public abstract Downstream downstream();

    /** Continues the phases after a handler returned {@link PhaseHandler#ASYNC}; call on {@link #eventLoop()}. */
    public abstract void resume(int result);

    // ---- request flow (docs/modules.md#request-flow)

    /**
     * Ends the request with {@code status}, nginx's {@code ngx_http_finalize_request}: a status of 300 or more goes
     * through the location's {@code error_page} (internal redirect, named location or redirect) and otherwise gets
     * the prepared response or nginx's page. The one way a module ends a request it does not answer itself.
     */
    public abstract void finalizeRequest(int status);

    /**
     * Restarts the request at {@code uri} (a normalised path) with {@code args} (or {@code null}), nginx's
     * {@code ngx_http_internal_redirect}: module state is cleared, the location is looked up again and the phases
     * run from the server rewrite phase; after more than 10 redirects and rewrites the request ends with 500. The
     * calling handler returns {@link PhaseHandler#OK} and touches the request no more.
     */
    public abstract void internalRedirect(String uri, String args);

    /**
     * Before an internal redirect or a named location taken on behalf of an upstream's {@code X-Accel-Redirect}
     * (docs/proxy.md): {@code headers} (name and text value) go out on the final answer before its own, as nginx
     * leaves them in its {@code r->headers_out}, and with {@code asGet} the request continues as {@code GET} (a
     * {@code HEAD} stays one), as nginx sets {@code r->method}.
     */
    public abstract void keepForRedirect(List<String[]> headers, boolean asGet);

    /**
     * Continues the request in the named location {@code name} (without its {@code @}), nginx's
     * {@code ngx_http_named_location}: module state is cleared and the phases run from the rewrite phase, with the
     * method and URI kept; 500 when the server has no such location. The calling handler returns
     * {@link PhaseHandler#OK}.
     */
    public abstract void namedLocation(String name);

    /**
     * Changes {@code $uri} and {@code $args} as the rewrite module does. With {@code reroute} the location is looked
     * up again once the rewrite phase ends (nginx's {@code r->uri_changed}); a server-level change always is. The
     * client's request target no longer stands for the URI ({@link #isUriAsSent()}).
     */
    public abstract void setUri(String uri, String args, boolean reroute);

    /**
     * Whether {@code $uri} still comes from the client's request target, nginx's {@code r->valid_unparsed_uri}: false
     * once the rewrite module or {@code set $args} changed it, after an internal redirect, and in a subrequest. A
     * {@code proxy_pass} without a URI part sends the target as the client sent it while this holds, {@code $uri}
     * and {@code $args} after (docs/proxy.md#directives, {@code proxy_pass}).
     */
    public abstract boolean isUriAsSent();

    /**
     * nginx's {@code r->internal}: the request came through an internal redirect, a named location or is a
     * subrequest, so {@code internal} locations answer it.
     */
    public abstract boolean isInternal();

    /**
     * The rewrite module changed the URI: as nginx sets {@code r->internal} then, {@code internal} locations answer
     * the request from now on, and {@code proxy_pass} escapes the URI as after an internal redirect.
     */
    public abstract void markInternal();

    /** Cancels a pending {@code reroute} of {@link #setUri} ({@code break}, {@code rewrite ... break}). */
    public abstract void cancelReroute();

    /**
     * Runs the rest of the request with {@code location}'s configuration, nginx's {@code r->loc_conf} switch to an
     * {@code if} block's pseudo-location ({@code ConfContext.parseIfBlock}).
     */
    public abstract void useLocation(LocationConf location);

    /** Makes {@code captures} the ones {@code $1}..{@code $9} and named captures read, after a regex matched. */
    public abstract void setCaptures(RegexCaptures captures);

    /** Stores the value of a variable for this request ({@code set}); later reads return it. */
    public abstract void setVariable(int index, String value);
}
