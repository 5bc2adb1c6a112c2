package io.jwtgate.core.builtin.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rewrite module's configuration errors: each configuration is checked by stock nginx ({@code nginx -t}) and by
 * jwtgate, which must stop with the same message at the same line. Regex syntax errors are worded by the regex
 * engine: only nginx's frame ({@code pcre2_compile() failed: ... in "pattern"}) is compared.
 */
class RewriteConfigErrorsTest {

    private static final Pattern EMERG = Pattern.compile("\\[emerg\\] (?:[0-9]+#[0-9]+: )?(.*) in (\\S+):(\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "location| rewrite ^ /x foo;",
        "location| rewrite ^ \"\";",
        "location| rewrite ( /x;",
        "location| rewrite ^(?<uri>.*) /x;",
        "location| rewrite ^;",
        "location| set x 1;",
        "location| set $ 1;",
        "location| set $uri 1;",
        "location| set $a;",
        "location| set $a \"$\";",
        "location| set $a \"${b\";",
        "location| return 1000;",
        "location| return abc;",
        "location| return 200 a b;",
        "location| break 1;",
        "location| rewrite_log maybe;",
        "location| rewrite_log on; rewrite_log on;",
        "location| uninitialized_variable_warn 1;",
        "location| if ($uri ==) { }",
        "location| if (-q /x) { }",
        "location| if ($uri = a b) { }",
        "location| if $uri { }",
        "location| if (!-f) { }",
        "location| if (-f a b) { }",
        "location| if ( ) { }",
        "location| if () { }",
        "location| if (x) { }",
        "location| if ($uri { }",
        "location| if ($uri ~~ x) { }",
        "location| if ($uri ~ \"(\") { }",
        "location| if ($a = $) { }",
        "location| if ($uri);",
        "server| if (x) { }",
        "server| set y 1;",
        "http| set $a 1;",
        "http| return 200;",
        "http| rewrite ^ /x;",
        "http| break;",
        "http| if ($uri) { }",
        "location| if ($uri) {\\n if ($uri) { }\\n }",
        "location| if ($uri) {\\n location /x { }\\n }",
        "location| if ($uri) {\\n set y 1;\\n }",
        "location| if ($uri) {\\n rewrite ^ /x bad;\\n }",
        "server| if ($uri) {\\n add_header X y;\\n }",
        "server| if ($uri) {\\n if ($uri) { }\\n }",
        "server| if ($uri) {\\n rewrite_log maybe;\\n }",
        "server| if ($uri) {\\n return 200 a b;\\n }",
    })
    void sameErrorAsNginx(String level, String directive) throws Exception {
        Path file = dir.resolve("nginx.conf");
        String conf = conf(level, directive.replace("\\n", "\n"));
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        String nginx = nginxCheck(file);
        Matcher m = EMERG.matcher(nginx);
        assertThat(m.find()).as("nginx -t rejects it: " + nginx).isTrue();
        ConfException e = TestGateway.configError(dir, conf, CoreModules::create);
        assertThat(e).as("jwtgate rejects it").isNotNull();
        assertThat(e.line()).isEqualTo(Integer.parseInt(m.group(3)));
        String expected = m.group(1);
        if (expected.startsWith("pcre2_compile() failed: ")) {
            assertThat(e.reason()).startsWith("pcre2_compile() failed: ")
                    .endsWith(expected.substring(expected.lastIndexOf(" in \"")));
        } else {
            assertThat(e.reason()).isEqualTo(expected);
        }
        assertThat(e.getMessage()).endsWith(" in " + file.toAbsolutePath().normalize() + ":" + e.line());
    }

    /** The directive at the given level, each on a line of its own so that lines tell levels apart. */
    private static String conf(String level, String directive) {
        String at = directive + "\n";
        return "events { }\nhttp {\n" + (level.equals("http") ? at : "") + "server {\nlisten 127.0.0.1:1;\n"
                + (level.equals("server") ? at : "") + "location / {\n" + (level.equals("location") ? at : "")
                + "}\n}\n}\n";
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
