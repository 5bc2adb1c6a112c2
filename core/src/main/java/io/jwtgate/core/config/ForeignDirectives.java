package io.jwtgate.core.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Directives of modules jwtgate does not have (nginx's own ones it lacks, njs, Lua, NGINX Plus, popular third-party
 * modules): a configuration that uses one stops start-up with a message that names the module and, where jwtgate
 * has its own equivalent, says which (docs/configuration.md#modules-jwtgate-does-not-have).
 */
final class ForeignDirectives {

    /** Directives named exactly, or by a prefix ending in {@code _} or {@code *}, and whose they are. */
    private record Owner(String pattern, String module) {
        boolean owns(String name) {
            if (pattern.endsWith("*")) {
                return name.startsWith(pattern.substring(0, pattern.length() - 1));
            }
            if (pattern.startsWith("*")) {
                return name.endsWith(pattern.substring(1));
            }
            return name.equals(pattern);
        }
    }

    private static final String PLUS = "NGINX Plus's ";
    private static final List<Owner> OWNERS = List.of(
            new Owner("auth_jwt*", PLUS + "ngx_http_auth_jwt_module; jwtgate's own JWT check is the jwt_* "
                    + "directives (docs/jwt.md)"),
            new Owner("js_*", "njs (ngx_http_js_module), which jwtgate does not have"),
            new Owner("*_by_lua", "the Lua module (OpenResty), which jwtgate does not have"),
            new Owner("*_by_lua_block", "the Lua module (OpenResty), which jwtgate does not have"),
            new Owner("*_by_lua_file", "the Lua module (OpenResty), which jwtgate does not have"),
            new Owner("lua_*", "the Lua module (OpenResty), which jwtgate does not have"),
            new Owner("zone_sync*", PLUS + "zone_sync module, which jwtgate does not have"),
            new Owner("api", PLUS + "ngx_http_api_module, which jwtgate does not have"),
            new Owner("status_zone", PLUS + "status zones, which jwtgate does not have"),
            new Owner("health_check", PLUS + "active health checks, which jwtgate does not have"),
            new Owner("sticky", PLUS + "session persistence, which jwtgate does not have"),
            new Owner("keyval*", PLUS + "ngx_http_keyval_module, which jwtgate does not have"),
            new Owner("more_set_headers", "the headers-more module, which jwtgate does not have; add_header and "
                    + "proxy_set_header are jwtgate's"),
            new Owner("more_clear_headers", "the headers-more module, which jwtgate does not have"),
            nginx("auth_basic*", "ngx_http_auth_basic_module"),
            new Owner("http2", "HTTP/2, which jwtgate does not support yet (it serves HTTP/1.1 only)"),
            new Owner("http2_*", "HTTP/2, which jwtgate does not support yet (it serves HTTP/1.1 only)"),
            new Owner("load_module", "a dynamic module, which jwtgate cannot load: its modules are built in"),
            nginx("fastcgi_*", "ngx_http_fastcgi_module"),
            nginx("uwsgi_*", "ngx_http_uwsgi_module"),
            nginx("scgi_*", "ngx_http_scgi_module"),
            nginx("memcached_*", "ngx_http_memcached_module"),
            new Owner("grpc_*", "nginx's ngx_http_grpc_module, which jwtgate does not have yet (it serves HTTP/1.1 "
                    + "only)"),
            nginx("ssi*", "ngx_http_ssi_module"),
            nginx("sub_filter*", "ngx_http_sub_module"),
            nginx("add_before_body", "ngx_http_addition_module"),
            nginx("add_after_body", "ngx_http_addition_module"),
            nginx("addition_types", "ngx_http_addition_module"),
            nginx("secure_link*", "ngx_http_secure_link_module"),
            nginx("geoip_*", "ngx_http_geoip_module"),
            nginx("userid*", "ngx_http_userid_module"),
            nginx("mirror*", "ngx_http_mirror_module"),
            nginx("slice*", "ngx_http_slice_module"),
            nginx("empty_gif", "ngx_http_empty_gif_module"),
            nginx("valid_referers", "ngx_http_referer_module"),
            nginx("referer_hash_*", "ngx_http_referer_module"),
            nginx("image_filter*", "ngx_http_image_filter_module"),
            nginx("xslt_*", "ngx_http_xslt_module"),
            nginx("xml_entities", "ngx_http_xslt_module"),
            nginx("perl*", "ngx_http_perl_module"),
            nginx("dav_*", "ngx_http_dav_module"),
            nginx("create_full_put_path", "ngx_http_dav_module"),
            nginx("min_delete_depth", "ngx_http_dav_module"),
            nginx("mp4*", "ngx_http_mp4_module"),
            nginx("flv", "ngx_http_flv_module"),
            nginx("random_index", "ngx_http_random_index_module"),
            nginx("ancient_browser*", "ngx_http_browser_module"),
            nginx("modern_browser*", "ngx_http_browser_module"),
            nginx("stream", "stream module (TCP/UDP proxying)"),
            nginx("mail", "mail module"));

    /** Directives of nginx's own modules jwtgate has, that it does not implement yet, and their module. */
    private static final Map<String, String> NOT_YET = notYet();

    private static Map<String, String> notYet() {
        Map<String, String> m = new HashMap<>();
        notYet(m, "ngx_core_module", "ssl_engine", "debug_points");
        notYet(m, "ngx_http_core_module", "log_subrequest", "msie_refresh", "post_action");
        notYet(m, "ngx_http_proxy_module",
                "proxy_force_ranges", "proxy_ignore_client_abort", "proxy_limit_rate", "proxy_pass_trailers",
                "proxy_send_lowat", "proxy_socket_keepalive", "proxy_bind", "proxy_ssl_certificate",
                "proxy_ssl_certificate_key", "proxy_ssl_ciphers", "proxy_ssl_conf_command", "proxy_ssl_crl",
                "proxy_ssl_password_file", "proxy_ssl_session_reuse", "proxy_store", "proxy_store_access");
        notYet(m, "ngx_http_ssl_module", "ssl_client_certificate", "ssl_verify_client", "ssl_verify_depth", "ssl_crl",
                "ssl_conf_command", "ssl_password_file", "ssl_reject_handshake", "ssl_ocsp", "ssl_ocsp_cache",
                "ssl_ocsp_responder");
        notYet(m, "ngx_http_autoindex_module", "autoindex_exact_size", "autoindex_format", "autoindex_localtime");
        return Map.copyOf(m);
    }

    private static void notYet(Map<String, String> m, String module, String... names) {
        for (String name : names) {
            m.put(name, module);
        }
    }

    /** A module of nginx's own that jwtgate does not have. */
    private static Owner nginx(String pattern, String module) {
        return new Owner(pattern, "nginx's " + module + ", which jwtgate does not have");
    }

    private ForeignDirectives() {
    }

    /** The start-up error for an unknown directive {@code name}: nginx's words, and whose it is when known. */
    static String unknown(String name) {
        String module = NOT_YET.get(name);
        if (module != null) {
            return "unknown directive \"" + name + "\": a directive of nginx's " + module + " that jwtgate does not "
                    + "implement yet (docs/configuration.md#not-implemented-yet)";
        }
        for (Owner o : OWNERS) {
            if (o.owns(name)) {
                return "unknown directive \"" + name + "\": " + o.module();
            }
        }
        return "unknown directive \"" + name + "\"";
    }
}
