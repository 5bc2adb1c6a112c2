package io.jwtgate.core.config;

import java.util.List;

/**
 * Directives of modules jwtgate does not have (njs, Lua, NGINX Plus, popular third-party modules): a configuration
 * that uses one stops start-up with a message that names the module and, where jwtgate has its own equivalent, says
 * which (docs/configuration.md#modules-jwtgate-does-not-have).
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
            new Owner("auth_basic*", "ngx_http_auth_basic_module, which jwtgate does not have"),
            new Owner("http2", "HTTP/2, which jwtgate does not support yet (it serves HTTP/1.1 only)"),
            new Owner("http2_*", "HTTP/2, which jwtgate does not support yet (it serves HTTP/1.1 only)"),
            new Owner("load_module", "a dynamic module, which jwtgate cannot load: its modules are built in"));

    private ForeignDirectives() {
    }

    /** The start-up error for an unknown directive {@code name}: nginx's words, and whose it is when known. */
    static String unknown(String name) {
        for (Owner o : OWNERS) {
            if (o.owns(name)) {
                return "unknown directive \"" + name + "\": " + o.module();
            }
        }
        return "unknown directive \"" + name + "\"";
    }
}
