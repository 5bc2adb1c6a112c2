package io.jwtgate.limitreq;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The start-up errors of {@code limit_req_zone}, {@code limit_req} and their settings: each configuration is checked
 * by stock nginx ({@code nginx -t}) and by jwtgate, which must stop with the same message at the same line.
 */
class LimitReqConfigErrorsTest {

    private static final String ZONE = "limit_req_zone $remote_addr zone=one:1m rate=1r/s;";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "http| limit_req_zone $remote_addr zone=one:31k rate=1r/s;",
        "http| limit_req_zone $remote_addr zone=one:0 rate=1r/s;",
        "http| limit_req_zone $remote_addr zone=one:abc rate=1r/s;",
        "http| limit_req_zone $remote_addr zone=one:1g rate=1r/s;",
        "http| limit_req_zone $remote_addr zone=one rate=1r/s;",
        "http| limit_req_zone $remote_addr zone=:1m rate=1r/s;",
        "http| limit_req_zone $remote_addr rate=1r/s rate=2r/s;",
        "http| limit_req_zone $remote_addr zone=one:1m rate=0r/s;",
        "http| limit_req_zone $remote_addr zone=one:1m rate=1r/h;",
        "http| limit_req_zone $remote_addr zone=one:1m rate=r/s;",
        "http| limit_req_zone $remote_addr zone=one:1m rate=-1r/s;",
        "http| limit_req_zone $remote_addr zone=one:1m rate=;",
        "http| limit_req_zone $remote_addr zone=one:1m;",
        "http| limit_req_zone $remote_addr zone=one:1m x=1;",
        "http| limit_req_zone $remote_addr zone=one:1m rate=1r/s x;",
        "http| " + ZONE + "\\n" + ZONE,
        "http| " + ZONE + "\\nlimit_req_zone $uri zone=one:2m rate=1r/s;",
        "http| " + ZONE + "\\nlimit_req_zone $uri zone=one:1m rate=1r/s;",
        "server| limit_req_zone $remote_addr zone=one:1m rate=1r/s;",
        "http| " + ZONE + "\\nlimit_req zone=one burst=0;",
        "http| " + ZONE + "\\nlimit_req zone=one burst=x;",
        "http| " + ZONE + "\\nlimit_req zone=one delay=0;",
        "http| " + ZONE + "\\nlimit_req zone=one delay=-2;",
        "http| " + ZONE + "\\nlimit_req zone=one foo;",
        "http| " + ZONE + "\\nlimit_req zone=one nodelay=1;",
        "http| " + ZONE + "\\nlimit_req burst=3;",
        "http| " + ZONE + "\\nlimit_req;",
        "location| " + ZONE,
        "location| limit_req zone=one;\\nlimit_req zone=one;",
        "location| limit_req zone=one; limit_req zone=one burst=2;",
        "location| limit_req_status 399;",
        "location| limit_req_status 600;",
        "location| limit_req_status abc;",
        "location| limit_req_status 429;\\nlimit_req_status 429;",
        "location| limit_req_log_level debug;",
        "location| limit_req_log_level crit;",
        "location| limit_req_log_level info; limit_req_log_level info;",
        "location| limit_req_dry_run yes;",
        "location| limit_req_dry_run on; limit_req_dry_run off;",
        "http| limit_req_zone $remote_addr zone=one:1m rate=1r/s extra;",
        "server| limit_req zone=two;",
        "server| limit_req zone=;",
        "location| if ($uri) {\\n limit_req zone=one;\\n }",
    })
    void sameErrorAsNginx(String level, String directives) throws Exception {
        NginxConfigCheck.assertSameError(dir, conf(level, directives.replace("\\n", "\n")),
                LimitReqDifferentialTest.MODULES);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "limit_req_zone \"\" zone=one:32k rate=5;\\nlimit_req_zone $remote_addr zone=two:32769 rate=3000000000r/s;",
        "limit_req_zone $remote_addr rate=1r/m zone=one:1M;\\nlimit_req zone=one nodelay delay=3;\\n"
            + "limit_req zone=two burst=2 burst=5;\\nlimit_req_zone $uri zone=two:1m rate=1r/s;",
        "limit_req zone=one delay=3 nodelay;\\nlimit_req_zone $remote_addr zone=one:1m rate=1r/s;",
        "limit_req_log_level Warn; limit_req_status 429; limit_req_dry_run ON;\\n" + ZONE,
    })
    void acceptedAsByNginx(String directives) throws Exception {
        NginxConfigCheck.assertAcceptedAlike(dir, conf("http", directives.replace("\\n", "\n")),
                LimitReqDifferentialTest.MODULES);
    }

    @Test
    void syncIsRefusedSayingWhy() throws Exception {
        ConfException e = TestGateway.configError(dir, conf("http",
                "limit_req_zone $remote_addr zone=one:1m rate=1r/s sync;"), LimitReqDifferentialTest.MODULES);
        assertThat(e.reason()).isEqualTo("the \"sync\" parameter is not supported: a zone is shared by the event "
                + "loops of one jwtgate process, not between processes");
        assertThat(e.line()).isEqualTo(3);
    }

    /** The directives at the given level, on lines of their own so that lines tell levels apart. */
    private static String conf(String level, String directives) {
        String at = directives + "\n";
        return "events { }\nhttp {\n" + (level.equals("http") ? at : "") + "server {\nlisten 127.0.0.1:1;\n"
                + (level.equals("server") ? at : "") + "location / {\n" + (level.equals("location") ? at : "")
                + "}\n}\n}\n";
    }
}
