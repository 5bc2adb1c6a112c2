package io.jwtgate.proxy;

import io.jwtgate.proxy.cache.CacheConf;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy module's merged configuration of one location. {@code proxy_pass} is not inherited (nginx installs its
 * handler on the location that names it); every other setting is.
 *
 * @param pass this location's {@code proxy_pass}, or {@code null}
 * @param head the compiled request head, when {@code pass} is set
 * @param setHeaders the {@code proxy_set_header} lines in force (inherited as a whole, as nginx does)
 * @param http11 {@code proxy_http_version 1.1} (default 1.0)
 * @param connectTimeoutMs {@code proxy_connect_timeout} (default 60s)
 * @param readTimeoutMs {@code proxy_read_timeout} (default 60s)
 * @param sendTimeoutMs {@code proxy_send_timeout} (default 60s)
 * @param passRequestHeaders {@code proxy_pass_request_headers} (default on)
 * @param passRequestBody {@code proxy_pass_request_body} (default on)
 * @param cache the {@code proxy_cache*} settings ({@code null}: none anywhere above)
 */
record ProxyConf(ProxyPass pass, RequestHead head, List<RequestHead.SetHeader> setHeaders, boolean http11,
        long connectTimeoutMs, long readTimeoutMs, long sendTimeoutMs, boolean passRequestHeaders,
        boolean passRequestBody, CacheConf cache) {

    static final ProxyConf DEFAULT =
            new ProxyConf(null, null, List.of(), false, 60_000, 60_000, 60_000, true, true, null);

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
        CacheConf.Draft cache;

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
                    && passRequestBody == null && cache == null;
        }
    }
}
