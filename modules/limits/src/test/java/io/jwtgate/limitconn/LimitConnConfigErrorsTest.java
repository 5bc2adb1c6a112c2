package io.jwtgate.limitconn;

import io.jwtgate.testing.NginxConfigCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The start-up errors of {@code limit_conn_zone}, {@code limit_conn} and their settings: each configuration is
 * checked by stock nginx ({@code nginx -t}) and by jwtgate, which must stop with the same message at the same line
 * (or, as nginx, without a line where nginx finds the mistake only once the whole configuration is read).
 */
class LimitConnConfigErrorsTest {

    private static final String ZONE = "limit_conn_zone $binary_remote_addr zone=one:32k;";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "http| limit_conn_zone $binary_remote_addr zone=one:1k;",
        "http| limit_conn_zone $binary_remote_addr zone=one:32767;",
        "http| limit_conn_zone $binary_remote_addr zone=one;",
        "http| limit_conn_zone $binary_remote_addr zone=one:abc;",
        "http| limit_conn_zone $binary_remote_addr zone=:32k;",
        "http| limit_conn_zone $binary_remote_addr foo=1;",
        "http| limit_conn_zone $binary_remote_addr;",
        "http| limit_conn_zone $binary_remote_addr zone=one:32k foo;",
        "http| limit_conn_zone $binary_remote_addr zone=one:32k zone=two:32k;",
        "http| " + ZONE + "\\nlimit_conn_zone $uri zone=one:32k;",
        "http| " + ZONE + "\\nlimit_conn_zone $uri zone=one:64k;",
        "server| " + ZONE,
        "location| " + ZONE,
        "http| " + ZONE + "\\nlimit_conn one 0;",
        "http| " + ZONE + "\\nlimit_conn one -1;",
        "http| " + ZONE + "\\nlimit_conn one x;",
        "http| " + ZONE + "\\nlimit_conn one 65536;",
        "http| " + ZONE + "\\nlimit_conn one;",
        "location| limit_conn one 1;\\nlimit_conn one 2;",
        "server| limit_conn two 1;",
        "location| if ($uri) {\\n limit_conn one 1;\\n }",
        "location| limit_conn_status 399;",
        "location| limit_conn_status 600;",
        "location| limit_conn_status x;",
        "location| limit_conn_status 429;\\nlimit_conn_status 429;",
        "location| limit_conn_log_level debug;",
        "location| limit_conn_log_level crit;",
        "location| limit_conn_log_level info; limit_conn_log_level info;",
        "location| limit_conn_dry_run maybe;",
        "location| limit_conn_dry_run on; limit_conn_dry_run off;",
    })
    void sameErrorAsNginx(String level, String directives) throws Exception {
        NginxConfigCheck.assertSameError(dir, conf(level, directives.replace("\\n", "\n")),
                LimitConnDifferentialTest::modules);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "limit_conn_zone \"\" zone=one:32k;\\nlimit_conn_zone $binary_remote_addr zone=two:32769;",
        "limit_conn one 65535;\\nlimit_conn two 1;\\nlimit_conn_zone $uri zone=one:1M;\\n"
            + "limit_conn_zone \"$host$uri\" zone=two:1m;",
        "limit_conn_log_level Warn; limit_conn_status 429; limit_conn_dry_run ON;\\n" + ZONE,
    })
    void acceptedAsByNginx(String directives) throws Exception {
        NginxConfigCheck.assertAcceptedAlike(dir, conf("http", directives.replace("\\n", "\n")),
                LimitConnDifferentialTest::modules);
    }

    /** The directives at the given level, on lines of their own so that lines tell levels apart. */
    private static String conf(String level, String directives) {
        String at = directives + "\n";
        return "events { }\nhttp {\n" + (level.equals("http") ? at : "") + "server {\nlisten 127.0.0.1:1;\n"
                + (level.equals("server") ? at : "") + "location / {\n" + (level.equals("location") ? at : "")
                + "}\n}\n}\n";
    }
}
