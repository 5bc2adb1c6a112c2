package io.jwtgate.realip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * realip's directives checked by stock nginx ({@code nginx -t}) and by jwtgate: the same start-up error at the same
 * line, the same warning, or both accepting.
 */
class RealIpConfigTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "server| set_real_ip_from 10.0.0.0/33;",
        "server| set_real_ip_from 10.0.0.0/;",
        "server| set_real_ip_from ::1/129;",
        "server| set_real_ip_from 1.2.3.4::;",
        "server| set_real_ip_from [::1];",
        "server| set_real_ip_from \"\";",
        "server| set_real_ip_from unix:/tmp/lb.sock;",
        "server| set_real_ip_from no-such-host.invalid;",
        "server| set_real_ip_from;",
        "server| set_real_ip_from 10.0.0.1 10.0.0.2;",
        "location| real_ip_header X-Real-IP; real_ip_header X-Forwarded-For;",
        "location| real_ip_header;",
        "location| real_ip_header a b;",
        "http| real_ip_recursive maybe;",
        "http| real_ip_recursive on; real_ip_recursive off;",
        "location| if ($uri) { set_real_ip_from 10.0.0.1; }",
        "location| if ($uri) { real_ip_header X-Forwarded-For; }",
    })
    void sameErrorAsNginx(String level, String directive) throws Exception {
        NginxConfigCheck.assertSameError(dir, conf(level, directive), RealIpDifferentialTest.MODULES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/8", "2001:db8::1/32", "192.168.1.1/0"})
    void hostBitsWarnAsNginx(String network) throws Exception {
        assertThat(NginxConfigCheck.assertAcceptedAlike(dir, conf("server", "set_real_ip_from " + network + ";"),
                RealIpDifferentialTest.MODULES)).as("nginx -t warns").hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"set_real_ip_from localhost;", "set_real_ip_from unix:;", "set_real_ip_from 0.0.0.0/0;",
        "set_real_ip_from 255.255.255.255;", "set_real_ip_from ::/0;", "real_ip_header proxy_protocol;",
        "real_ip_header X-Client-Address;", "real_ip_recursive on;"})
    void acceptedAsByNginx(String directive) throws Exception {
        assertThat(NginxConfigCheck.assertAcceptedAlike(dir, conf("location", directive),
                RealIpDifferentialTest.MODULES)).isEqualTo(List.of());
    }

    /** The directives at the given level, each level on lines of its own so that lines tell levels apart. */
    private static String conf(String level, String directive) {
        String at = directive + "\n";
        return "events { }\nhttp {\n" + (level.equals("http") ? at : "") + "server {\nlisten 127.0.0.1:"
                + TestGateway.freePort() + ";\n" + (level.equals("server") ? at : "") + "location / {\n"
                + (level.equals("location") ? at : "") + "}\n}\n}\n";
    }
}
