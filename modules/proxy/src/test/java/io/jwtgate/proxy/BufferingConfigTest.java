package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The buffering directives' start-up errors, checked by stock nginx ({@code nginx -t}) and by jwtgate. A directive's
 * own mistake stops both at the same line with the same message; the checks of the sizes against each other, which
 * nginx makes when it merges the levels and reports at the end of the http block, jwtgate reports in nginx's words
 * at the level's first size directive.
 */
class BufferingConfigTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "proxy_buffering maybe;",
        "proxy_buffering on; proxy_buffering off;",
        "proxy_request_buffering 1;",
        "proxy_buffers 8;",
        "proxy_buffers 0 4k;",
        "proxy_buffers 8 0;",
        "proxy_buffers x 4k;",
        "proxy_buffers 8 4q;",
        "proxy_buffers 8 4k; proxy_buffers 8 4k;",
        "proxy_buffer_size -1;",
        "proxy_buffer_size 4k; proxy_buffer_size 8k;",
        "proxy_busy_buffers_size x;",
        "proxy_max_temp_file_size 1x;",
        "proxy_temp_file_write_size;",
        "proxy_temp_path TMP 0;",
        "proxy_temp_path TMP 5 5 1;",
        "proxy_temp_path TMP 1 2 3 4;",
        "proxy_temp_path TMP; proxy_temp_path TMP;",
        "client_body_buffer_size 1z;",
        "client_body_temp_path TMP x;",
        "client_body_in_single_buffer 2;",
    })
    void sameErrorAsNginx(String directives) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        NginxConfigCheck.assertSameError(dir, conf(directives.replace("TMP", tmp.toString())), Gateways.modules());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "proxy_buffers 1 4k;                               | proxy_buffers",
        "proxy_buffers 2 4k;                               | proxy_buffers",
        "proxy_busy_buffers_size 2k;                       | proxy_busy_buffers_size",
        "proxy_buffers 4 8k; proxy_busy_buffers_size 25k;  | proxy_buffers",
        "proxy_buffer_size 16k;                            | proxy_buffer_size",
        "proxy_temp_file_write_size 2k;                    | proxy_temp_file_write_size",
        "proxy_max_temp_file_size 1k;                      | proxy_max_temp_file_size",
    })
    void sizeChecksAsNginxAtTheFirstSizeDirective(String directives, String first) throws Exception {
        String conf = conf(directives);
        NginxConfigCheck.Logged nginx = NginxConfigCheck.run(dir, conf).refusal();
        ConfException e = TestGateway.configError(dir, conf, Gateways.modules());
        assertThat(e).as("jwtgate refuses it as nginx: " + nginx.message()).isNotNull();
        assertThat(e.reason()).isEqualTo(nginx.reason());
        assertThat(e.line()).isEqualTo(lineOf(conf, first));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "proxy_buffering off; proxy_request_buffering off; proxy_buffers 4 16k; proxy_buffer_size 8k;",
        "proxy_busy_buffers_size 24k; proxy_buffers 8 4k; proxy_max_temp_file_size 0;",
        "proxy_max_temp_file_size 4k; proxy_temp_file_write_size 64k; proxy_temp_path TMP 1 2;",
        "client_body_buffer_size 128k; client_body_temp_path TMP 2; client_body_in_file_only clean;",
        "client_body_in_single_buffer on; client_body_in_file_only off;",
    })
    void acceptedAsByNginx(String directives) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        NginxConfigCheck.assertAcceptedAlike(dir, conf(directives.replace("TMP", tmp.toString())),
                Gateways.modules());
    }

    @Test
    void aWrongWordIsNamedWithTheWordsAllowed() throws Exception {
        // nginx's enum slot says only: invalid value "yes"; jwtgate's one-of setter lists the choices too
        String conf = conf("client_body_in_file_only yes;");
        NginxConfigCheck.Logged nginx = NginxConfigCheck.run(dir, conf).refusal();
        ConfException e = TestGateway.configError(dir, conf, Gateways.modules());
        assertThat(e.reason()).startsWith(nginx.reason()).endsWith("it must be one of \"clean\", \"off\", \"on\"");
        assertThat(e.line()).isEqualTo(nginx.line());
    }

    @Test
    void inheritedSizesAreCheckedWithTheLevelsOwn() throws Exception {
        // the http level's busy size is valid with its buffers, not with the location's fewer ones
        String conf = "events { }\nhttp {\nproxy_busy_buffers_size 24k;\nserver {\nlisten 127.0.0.1:1;\n"
                + "location / {\nproxy_buffers 4 4k;\n}\n}\n}\n";
        NginxConfigCheck.Logged nginx = NginxConfigCheck.run(dir, conf).refusal();
        ConfException e = TestGateway.configError(dir, conf, Gateways.modules());
        assertThat(e.reason()).isEqualTo(nginx.reason());
        assertThat(e.line()).isEqualTo(7);
    }

    /** The directives in a location, on a line of their own. */
    private static String conf(String directives) {
        return "events { }\nhttp {\nserver {\nlisten 127.0.0.1:1;\nlocation / {\n" + directives
                + "\nproxy_pass http://127.0.0.1:1;\n}\n}\n}\n";
    }

    private static int lineOf(String conf, String directive) {
        String[] lines = conf.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(directive)) {
                return i + 1;
            }
        }
        throw new AssertionError(directive + " not in " + conf);
    }
}
