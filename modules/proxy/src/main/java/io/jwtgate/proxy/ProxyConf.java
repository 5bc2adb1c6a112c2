package io.jwtgate.proxy;

import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.proxy.cache.CacheConf;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy module's merged configuration of one location. {@code proxy_pass} is not inherited (nginx installs its
 * handler on the location that names it); every other setting is.
 *
 * @param pass this location's {@code proxy_pass}, or {@code null}
 * @param head the compiled request head, when {@code pass} is set
 * @param cacheHead the head of the requests that may fill the cache, when {@code pass} is set and
 *     {@code proxy_cache} is on ({@link RequestHead#compileForCache})
 * @param setHeaders the {@code proxy_set_header} lines in force (inherited as a whole, as nginx does)
 * @param http11 {@code proxy_http_version 1.1} (default 1.0)
 * @param connectTimeoutMs {@code proxy_connect_timeout} (default 60s)
 * @param readTimeoutMs {@code proxy_read_timeout} (default 60s)
 * @param sendTimeoutMs {@code proxy_send_timeout} (default 60s)
 * @param passRequestHeaders {@code proxy_pass_request_headers} (default on)
 * @param passRequestBody {@code proxy_pass_request_body} (default on)
 * @param ssl the {@code proxy_ssl_*} settings in force
 * @param tls the TLS context for an {@code https} {@code proxy_pass} of this location (built once per distinct
 *     settings), else {@code null}
 * @param cache the {@code proxy_cache*} settings ({@code null}: none anywhere above)
 * @param next {@code proxy_next_upstream}, {@code _tries} and {@code _timeout}
 * @param response what is done with the upstream's response headers ({@link ResponseHeaderPolicy})
 * @param method {@code proxy_method}, or {@code null} for the client's method
 * @param setBody {@code proxy_set_body}, or {@code null} for the client's body
 * @param buffering the request and response buffering settings
 */
record ProxyConf(ProxyPass pass, RequestHead head, RequestHead cacheHead, List<RequestHead.SetHeader> setHeaders,
        boolean http11,
        long connectTimeoutMs, long readTimeoutMs, long sendTimeoutMs, boolean passRequestHeaders,
        boolean passRequestBody, Ssl ssl, UpstreamTls tls, CacheConf cache, NextUpstream next,
        ResponseHeaderPolicy response, ComplexValue method, ComplexValue setBody, BufferingConf buffering) {

    static final ProxyConf DEFAULT = new ProxyConf(null, null, null, List.of(), false, 60_000, 60_000, 60_000, true,
            true, Ssl.DEFAULT, null, null, NextUpstream.DEFAULT, ResponseHeaderPolicy.DEFAULT, null, null,
            BufferingConf.DEFAULT);

    /**
     * The {@code proxy_ssl_*} settings of a level.
     *
     * @param serverName {@code proxy_ssl_server_name} (default on, nginx: off)
     * @param name {@code proxy_ssl_name}, or {@code null} for the host of the {@code proxy_pass} URL
     * @param settings what the TLS context is built from
     */
    record Ssl(boolean serverName, String name, UpstreamTls.Settings settings) {
        static final Ssl DEFAULT = new Ssl(true, null,
                new UpstreamTls.Settings(true, 1, null, List.of("TLSv1.2", "TLSv1.3")));
    }

    /** A level's settings while the configuration is read; {@code null} means unset here. */
    static final class Draft {
        ProxyPass pass;
        List<RequestHead.SetHeader> setHeaders;
        Boolean http11;
        Long connectTimeoutMs;
        Long readTimeoutMs;
        Long sendTimeoutMs;
        Boolean passRequestHeaders;
        Boolean passRequestBody;
        Boolean sslServerName;
        String sslName;
        Boolean sslVerify;
        Integer sslVerifyDepth;
        List<X509Certificate> sslTrusted;
        List<String> sslProtocols;
        Integer nextUpstream;
        Integer nextUpstreamTries;
        Long nextUpstreamTimeoutMs;

        boolean sslEmpty() {
            return sslServerName == null && sslName == null && sslVerify == null && sslVerifyDepth == null
                    && sslTrusted == null && sslProtocols == null;
        }

        CacheConf.Draft cache;
        ResponseHeaderPolicy.Draft response;
        ComplexValue method;
        ComplexValue setBody;
        BufferingConf.Draft buffering;

        /** The response header part of this level, created on first use. */
        ResponseHeaderPolicy.Draft response() {
            if (response == null) {
                response = new ResponseHeaderPolicy.Draft();
            }
            return response;
        }

        /** The buffering part of this level, created on first use. */
        BufferingConf.Draft buffering() {
            if (buffering == null) {
                buffering = new BufferingConf.Draft();
            }
            return buffering;
        }

        /** The {@code proxy_cache*} part of this level, created on first use. */
        CacheConf.Draft cache() {
            if (cache == null) {
                cache = new CacheConf.Draft();
            }
            return cache;
        }

        void addHeader(RequestHead.SetHeader h) {
            if (setHeaders == null) {
                setHeaders = new ArrayList<>();
            }
            setHeaders.add(h);
        }

        boolean isEmpty() {
            return pass == null && setHeaders == null && http11 == null && connectTimeoutMs == null
                    && readTimeoutMs == null && sendTimeoutMs == null && passRequestHeaders == null
                    && passRequestBody == null && sslEmpty() && cache == null && nextUpstream == null
                    && nextUpstreamTries == null && nextUpstreamTimeoutMs == null && response == null
                    && method == null && setBody == null && buffering == null;
        }
    }
}
