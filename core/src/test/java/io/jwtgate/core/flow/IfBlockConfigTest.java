package io.jwtgate.core.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.moduletest.FlowTestModule;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The blocks of {@code if} ({@code ConfContext.parseIfBlock}, here through {@link FlowTestModule}'s {@code flow_if}):
 * only the directives nginx allows in an {@code if} of a location or of a server, with nginx's words and line for
 * the others (as {@code nginx -t} gives them for {@code if}).
 */
class IfBlockConfigTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "location /a { flow_if {\\n keepalive_timeout 1; } }| \"keepalive_timeout\" directive is not allowed here| 2",
        "location /a { flow_if {\\n client_max_body_size 1k; } }"
                + "| \"client_max_body_size\" directive is not allowed here| 2",
        "location /a { flow_if {\\n satisfy any; } }| \"satisfy\" directive is not allowed here| 2",
        "location /a { flow_if {\\n internal; } }| \"internal\" directive is not allowed here| 2",
        "location /a { flow_if {\\n location /b { } } }| \"location\" directive is not allowed here| 2",
        "location /a { flow_if {\\n log_format x y; } }| \"log_format\" directive is not allowed here| 2",
        "flow_if {\\n add_header X 1; }| \"add_header\" directive is not allowed here| 2",
        "flow_if {\\n access_log off; }| \"access_log\" directive is not allowed here| 2",
        "flow_if {\\n flow_echo x; }| \"flow_echo\" directive is not allowed here| 2",
    })
    void wrongContext(String server, String message, int line) throws Exception {
        ConfException e = TestGateway.configError(dir, "http { server {\n" + server.replace("\\n", "\n") + "\n} }\n",
                RequestFlowDifferentialTest::modules);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(message + " in " + dir.resolve("nginx.conf").toAbsolutePath()
                .normalize() + ":" + (line + 1));
    }

    @Test
    void allowedDirectivesLoad() throws Exception {
        assertThat(TestGateway.configError(dir, """
                http { server {
                    flow_if { }
                    location /a { flow_if { add_header X 1; access_log off; flow_echo y; } }
                } }
                """, RequestFlowDifferentialTest::modules)).isNull();
    }
}
