package io.jwtgate.proxy;

import io.jwtgate.testing.NginxConfigCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The start-up errors and warnings of {@code proxy_redirect}, {@code proxy_hide_header}, {@code proxy_pass_header},
 * {@code proxy_ignore_headers}, {@code proxy_intercept_errors}, {@code proxy_method} and {@code proxy_set_body}:
 * each configuration is checked by stock nginx ({@code nginx -t}) and by jwtgate, which must stop with the same
 * message at the same line, or accept it with the same warnings.
 */
class ProxyHeadersConfigErrorsTest {

    private static final String PASS = "proxy_pass http://127.0.0.1:1;";
    private static final String VARIABLE_PASS = "proxy_pass http://127.0.0.1:1/$uri;";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "proxy_redirect default;\\n" + PASS,
        VARIABLE_PASS + "\\nproxy_redirect default;",
        PASS + "\\nproxy_redirect off;\\nproxy_redirect / /x;",
        PASS + "\\nproxy_redirect / /x;\\nproxy_redirect off;",
        PASS + "\\nproxy_redirect off;\\nproxy_redirect off;",
        PASS + "\\nproxy_redirect off;\\nproxy_redirect default;",
        PASS + "\\nproxy_redirect on;",
        PASS + "\\nproxy_redirect / /x /y;",
        PASS + "\\nproxy_redirect;",
        PASS + "\\nproxy_hide_header;",
        PASS + "\\nproxy_hide_header X-A X-B;",
        PASS + "\\nproxy_pass_header X-A X-B;",
        PASS + "\\nproxy_ignore_headers;",
        PASS + "\\nproxy_ignore_headers Set-Cookie Location;",
        PASS + "\\nproxy_ignore_headers X-Accel-Redirects;",
        PASS + "\\nproxy_intercept_errors maybe;",
        PASS + "\\nproxy_intercept_errors on;\\nproxy_intercept_errors off;",
        PASS + "\\nproxy_method GET;\\nproxy_method POST;",
        PASS + "\\nproxy_method;",
        PASS + "\\nproxy_set_body a;\\nproxy_set_body b;",
        PASS + "\\nproxy_set_body a b;",
        PASS + "\\nproxy_cookie_domain on;",
        PASS + "\\nproxy_cookie_domain off;\\nproxy_cookie_domain a b;",
        PASS + "\\nproxy_cookie_path a b;\\nproxy_cookie_path off;",
        PASS + "\\nproxy_cookie_path a b c;",
        PASS + "\\nproxy_cookie_flags a;",
        PASS + "\\nproxy_cookie_flags off;\\nproxy_cookie_flags off;",
        PASS + "\\nproxy_cookie_flags a secure httponly samesite=lax nosecure;",
    })
    void sameErrorAsNginx(String directives) throws Exception {
        NginxConfigCheck.assertSameError(dir, conf(directives.replace("\\n", "\n")), Gateways.modules());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        PASS + "\\nproxy_redirect default;\\nproxy_redirect ~*^http://(a)/ /$1/;\\nproxy_redirect $host /h/;",
        PASS + "\\nproxy_ignore_headers Vary vary;",
        PASS + "\\nproxy_ignore_headers Expires;\\nproxy_ignore_headers expires Cache-Control;",
        PASS + "\\nproxy_hide_header X-A;\\nproxy_hide_header X-A;\\nproxy_pass_header X-A;\\nproxy_pass_header Date;",
        VARIABLE_PASS + "\\nproxy_redirect http://a/ /b/;\\nproxy_method $arg_m;\\nproxy_set_body \"$uri $args\";",
        PASS + "\\nproxy_intercept_errors ON;",
        PASS + "\\nproxy_cookie_flags a whatever;\\nproxy_cookie_flags ~b secure;\\nproxy_cookie_path ~*c d;",
    })
    void acceptedAsByNginx(String directives) throws Exception {
        NginxConfigCheck.assertAcceptedAlike(dir, conf(directives.replace("\\n", "\n")), Gateways.modules());
    }

    /** The directives in a location, each on a line of its own. */
    private static String conf(String directives) {
        return "events { }\nhttp {\nserver {\nlisten 127.0.0.1:1;\nlocation / {\n" + directives + "\n}\n}\n}\n";
    }
}
