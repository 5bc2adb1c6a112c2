package io.jwtgate.realip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * realip's directives checked by stock nginx ({@code nginx -t}) and by jwtgate: the same start-up error at the same
 * line, the same warning, or both accepting.
 */
class RealIpConfigTest {

    private static final Pattern LINE = Pattern.compile("\\[(emerg|warn)\\] (?:[0-9]+#[0-9]+: )?(.*) in (\\S+):(\\d+)");

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
        Path file = write(level, directive);
        Matcher m = LINE.matcher(nginxCheck(file));
        assertThat(m.find() && m.group(1).equals("emerg")).as("nginx -t rejects it").isTrue();
        ConfException e = TestGateway.configError(dir, Files.readString(file), RealIpDifferentialTest.MODULES);
        assertThat(e).as("jwtgate rejects it").isNotNull();
        assertThat(e.reason()).isEqualTo(m.group(2));
        assertThat(e.line()).isEqualTo(Integer.parseInt(m.group(4)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/8", "2001:db8::1/32", "192.168.1.1/0"})
    void hostBitsWarnAsNginx(String network) throws Exception {
        Path file = write("server", "set_real_ip_from " + network + ";");
        Matcher m = LINE.matcher(nginxCheck(file));
        assertThat(m.find() && m.group(1).equals("warn")).as("nginx -t warns").isTrue();
        try (TestGateway gw = TestGateway.start(dir, Files.readString(file), RealIpDifferentialTest.MODULES)) {
            assertThat(gw.config().warnings()).containsExactly(m.group(2) + " in " + file + ":" + m.group(4));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"set_real_ip_from localhost;", "set_real_ip_from unix:;", "set_real_ip_from 0.0.0.0/0;",
        "set_real_ip_from 255.255.255.255;", "set_real_ip_from ::/0;", "real_ip_header proxy_protocol;",
        "real_ip_header X-Client-Address;", "real_ip_recursive on;"})
    void acceptedAsByNginx(String directive) throws Exception {
        Path file = write("location", directive);
        String nginx = nginxCheck(file);
        assertThat(nginx).contains("test is successful").doesNotContain("[warn]");
        try (TestGateway gw = TestGateway.start(dir, Files.readString(file), RealIpDifferentialTest.MODULES)) {
            assertThat(gw.config().warnings()).isEqualTo(List.of());
        }
    }

    /** The directives at the given level, each level on lines of its own so that lines tell levels apart. */
    private Path write(String level, String directive) throws IOException {
        String at = directive + "\n";
        String conf = "events { }\nhttp {\n" + (level.equals("http") ? at : "") + "server {\nlisten 127.0.0.1:"
                + TestGateway.freePort() + ";\n" + (level.equals("server") ? at : "") + "location / {\n"
                + (level.equals("location") ? at : "") + "}\n}\n}\n";
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        return file;
    }

    /** {@code nginx -t} of the file; its output. */
    private String nginxCheck(Path file) throws IOException, InterruptedException {
        assertThat(StockNginx.available()).as("stock nginx is installed").isTrue();
        Files.createDirectories(dir.resolve("logs"));
        Process p = new ProcessBuilder("/usr/sbin/nginx", "-t", "-p", dir.toString(), "-c", file.toString(),
                "-g", "error_log " + dir.resolve("logs/error.log") + "; pid " + dir.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
