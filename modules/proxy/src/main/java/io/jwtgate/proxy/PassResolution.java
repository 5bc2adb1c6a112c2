package io.jwtgate.proxy;

import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.proxy.resolve.ResolveFailure;
import io.jwtgate.proxy.resolve.Resolver;
import io.jwtgate.proxy.resolve.ResolverConf;
import java.net.InetAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait of a {@code proxy_pass} with variables for the resolver's answer about its host, as nginx's
 * {@code ngx_http_upstream_resolve_handler}: with addresses the request goes to them, each tried once in the
 * resolver's order; without, it ends with 502 and {@code <host> could not be resolved (<code>: <text>)}. A client
 * that goes away meanwhile ends the wait. Lives on the request's event loop.
 */
final class PassResolution implements Resolver.Answer {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.proxy");

    private final ProxyModule module;
    private final Upstreams upstreams;
    private final HttpExchange x;
    private final ProxyConf conf;
    private final ProxyUrl url;
    private final String uri;
    /** The client went away, or the answer came: nothing more to do. */
    private boolean over;

    PassResolution(ProxyModule module, Upstreams upstreams, HttpExchange x, ProxyConf conf, ProxyUrl url, String uri) {
        this.module = module;
        this.upstreams = upstreams;
        this.x = x;
        this.conf = conf;
        this.url = url;
        this.uri = uri;
    }

    void start(ResolverConf rc) {
        x.downstream().onClose(() -> over = true);
        rc.resolver().resolve(x.downstream().loop(), x.downstream().transport(), url.bareHost(), rc.timeoutMs(),
                this);
    }

    @Override
    public void resolved(List<InetAddress> addresses) {
        if (over) {
            return;
        }
        over = true;
        module.proxy(x, conf, upstreams.atRuntime(url, addresses), url, uri);
    }

    @Override
    public void failed(ResolveFailure failure) {
        if (over) {
            return;
        }
        over = true;
        log.error("{} could not be resolved {}{}", url.bareHost(), failure, ErrorContext.of(x));
        x.finalizeRequest(502);
    }
}
