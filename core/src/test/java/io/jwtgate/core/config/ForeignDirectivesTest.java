package io.jwtgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A configuration that uses a module jwtgate does not have stops start-up with a message naming the module, and
 * jwtgate's own equivalent where there is one (docs/configuration.md#modules-jwtgate-does-not-have).
 */
class ForeignDirectivesTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "load_module modules/ngx_http_js_module.so;|1|unknown directive \"load_module\": a dynamic module, which "
            + "jwtgate cannot load: its modules are built in",
        "http { js_import main.js; }|1|unknown directive \"js_import\": njs (ngx_http_js_module), which jwtgate "
            + "does not have",
        "http { server { location / { auth_jwt api; } } }|1|unknown directive \"auth_jwt\": NGINX Plus's "
            + "ngx_http_auth_jwt_module; jwtgate's own JWT check is the jwt_* directives (docs/jwt.md)",
        "http { server { location / { access_by_lua 'x'; } } }|1|unknown directive \"access_by_lua\": the Lua "
            + "module (OpenResty), which jwtgate does not have",
        "http { server { location / { auth_basic on; } } }|1|unknown directive \"auth_basic\": nginx's "
            + "ngx_http_auth_basic_module, which jwtgate does not have",
        "http { server { location ~ \\.php$ { fastcgi_pass 127.0.0.1:9000; } } }|1|unknown directive "
            + "\"fastcgi_pass\": nginx's ngx_http_fastcgi_module, which jwtgate does not have",
        "http { server { location / { grpc_pass grpc://127.0.0.1:1; } } }|1|unknown directive \"grpc_pass\": "
            + "nginx's ngx_http_grpc_module, which jwtgate does not have yet (it serves HTTP/1.1 only)",
        "http { server { location / { sub_filter a b; } } }|1|unknown directive \"sub_filter\": nginx's "
            + "ngx_http_sub_module, which jwtgate does not have",
        "stream { }|1|unknown directive \"stream\": nginx's stream module (TCP/UDP proxying), which jwtgate "
            + "does not have",
        "http { http2 on; }|1|unknown directive \"http2\": HTTP/2, which jwtgate does not support yet (it serves "
            + "HTTP/1.1 only)",
        "http { http2_max_concurrent_streams 8; }|1|unknown directive \"http2_max_concurrent_streams\": HTTP/2, "
            + "which jwtgate does not support yet (it serves HTTP/1.1 only)",
        "http { server { listen 127.0.0.1:1 ssl http2; } }|1|the \"http2\" parameter: HTTP/2 is not supported by "
            + "jwtgate yet (it serves HTTP/1.1 only, and does not downgrade silently)",
        "http { server { location / { post_action /done; } } }|1|unknown directive \"post_action\": a directive of "
            + "nginx's ngx_http_core_module that jwtgate does not implement yet "
            + "(docs/configuration.md#not-implemented-yet)",
        "http { server { frobnicate on; } }|1|unknown directive \"frobnicate\"",
    })
    void namesTheModule(String conf, int line, String reason) throws Exception {
        ConfException e = TestGateway.configError(dir, conf + "\nevents { }\n", CoreModules::create);
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.line()).isEqualTo(line);
    }
}
