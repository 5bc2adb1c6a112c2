package io.jwtgate.gzip;

import io.jwtgate.testing.NginxConfigCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The start-up errors and warnings of the gzip directives, checked by stock nginx ({@code nginx -t}) and by jwtgate,
 * which must stop with the same message at the same line, or accept with the same warnings.
 */
class GzipConfigErrorsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "gzip maybe;", "gzip on; gzip off;", "gzip_comp_level 10;", "gzip_comp_level 0;", "gzip_comp_level x;",
        "gzip_comp_level 1; gzip_comp_level 2;", "gzip_proxied foo;", "gzip_proxied any; gzip_proxied foo;",
        "gzip_http_version 2.0;", "gzip_buffers 4;", "gzip_buffers x 4k;", "gzip_buffers 0 4k;",
        "gzip_buffers 4 0;", "gzip_min_length -1;", "gzip_min_length 1x;", "gzip_disable \"(\";", "gzip_types;",
        "gzip_vary yes;", "gunzip maybe;", "gunzip_buffers 4;", "gzip_disable;", "if ($uri) { gzip_vary on; }",
        "if ($uri) { gunzip on; }", "gzip_static maybe;", "gzip_static on; gzip_static off;",
        "gzip_static;", "gzip_static on always;", "if ($uri) { gzip_static on; }",
    })
    void sameErrorAsNginx(String directives) throws Exception {
        NginxConfigCheck.assertSameError(dir, conf(directives), GzipTesting.modules(),
                reason -> reason.replaceFirst("pcre2_compile\\(\\) failed: .*", "pcre2_compile() failed"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "gzip_proxied any any;", "gzip_proxied any; gzip_proxied off expired; gzip_proxied auth;",
        "gzip_proxied expired no-cache no-store private no_last_modified no_etag auth;",
        "gzip_types text/css; gzip_types *; gzip_disable msie6 a b; gzip_disable c;",
        "gzip_http_version 1.0; gzip_min_length 1k; gzip_comp_level 9; gzip_buffers 16 8k; gunzip_buffers 8 8k;",
        "if ($uri) { gzip off; }", "gzip_static always; gunzip on;", "gzip_static off;",
        "gzip_static ALWAYS;",
    })
    void acceptedAsByNginx(String directives) throws Exception {
        NginxConfigCheck.assertAcceptedAlike(dir, conf(directives), GzipTesting.modules());
    }

    private static String conf(String directives) {
        return "events { }\nhttp {\nserver {\nlisten 127.0.0.1:1;\nlocation / {\n" + directives + "\n}\n}\n}\n";
    }
}
