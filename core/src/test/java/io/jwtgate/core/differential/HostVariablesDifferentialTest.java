package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import org.junit.jupiter.api.Test;

/**
 * {@code $hostname} is the machine's name as nginx gives it, and {@code $pid} the process's id (nginx's is its
 * worker's; jwtgate's is its one process's, here the test's JVM).
 */
class HostVariablesDifferentialTest {

    @Test
    void hostnameAsNginxAndPidOfTheProcess() throws Exception {
        try (SideBySide pair = SideBySide.start(port -> "server { listen 127.0.0.1:" + port + ";\n"
                + "location /h { return 200 \"[$hostname]\"; }\nlocation /p { return 200 \"$pid\"; } }",
                CoreModules::create)) {
            String nginx = RawHttpClient.get(pair.nginxPort(), "/h").bodyString();
            assertThat(nginx).matches("\\[[^\\]]+\\]");
            assertThat(RawHttpClient.get(pair.gatewayPort(), "/h").bodyString()).isEqualTo(nginx);
            assertThat(RawHttpClient.get(pair.gatewayPort(), "/p").bodyString())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(RawHttpClient.get(pair.nginxPort(), "/p").bodyString()).matches("[1-9][0-9]*");
        }
    }
}
