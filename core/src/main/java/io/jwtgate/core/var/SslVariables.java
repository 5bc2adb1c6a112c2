package io.jwtgate.core.var;

import io.jwtgate.core.tls.ClientTls;
import java.util.function.Function;

/**
 * nginx's http ssl module's variables ({@code ngx_http_ssl_vars}, as nginx 1.22 has them): the client connection's
 * TLS. As in nginx, one is not found on a plain connection and wherever its value is empty, so that an access log
 * writes {@code -} for it (docs/configuration.md#tls-variables).
 */
public final class SslVariables {

    /**
     * What jwtgate does not do, not found on every connection: {@code $ssl_early_data} (refused by
     * {@code ssl_early_data on}) and the client certificate's, as nginx has them without one ({@code ssl_verify_client}
     * is not supported).
     */
    private static final String[] ABSENT = {"ssl_early_data", "ssl_client_cert", "ssl_client_raw_cert",
        "ssl_client_escaped_cert", "ssl_client_s_dn", "ssl_client_i_dn", "ssl_client_s_dn_legacy",
        "ssl_client_i_dn_legacy", "ssl_client_serial", "ssl_client_fingerprint", "ssl_client_v_start",
        "ssl_client_v_end", "ssl_client_v_remain"};

    private SslVariables() {
    }

    public static void define(Variables v) {
        def(v, "ssl_protocol", ClientTls::protocol);
        def(v, "ssl_cipher", ClientTls::cipher);
        def(v, "ssl_ciphers", ClientTls::ciphers);
        def(v, "ssl_curve", ClientTls::curve);
        def(v, "ssl_curves", ClientTls::curves);
        def(v, "ssl_session_id", ClientTls::sessionId);
        def(v, "ssl_session_reused", ClientTls::sessionReused);
        def(v, "ssl_server_name", ClientTls::serverName);
        def(v, "ssl_alpn_protocol", ClientTls::alpnProtocol);
        // no client certificate is asked for, so none is ever given
        def(v, "ssl_client_verify", t -> "NONE");
        for (String name : ABSENT) {
            def(v, name, t -> null);
        }
    }

    /** nginx's are all changeable: a {@code map} may define one over again. */
    private static void def(Variables v, String name, Function<ClientTls, String> part) {
        v.define(name, (x, d) -> {
            ClientTls tls = x.tls();
            String value = tls == null ? null : part.apply(tls);
            return value == null || value.isEmpty() ? null : value;
        }, null, Variables.CHANGEABLE);
    }
}
