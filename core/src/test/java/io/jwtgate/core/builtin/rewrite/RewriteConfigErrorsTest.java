package io.jwtgate.core.builtin.rewrite;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.NginxConfigCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rewrite module's configuration errors: each configuration is checked by stock nginx ({@code nginx -t}) and by
 * jwtgate, which must stop with the same message at the same line. Regex syntax errors are worded by the regex
 * engine: only nginx's frame ({@code pcre2_compile() failed: ... in "pattern"}) is compared.
 */
class RewriteConfigErrorsTest {

    private static final String PCRE = "pcre2_compile() failed: ";

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
        NginxConfigCheck.assertSameError(dir, conf(level, directive.replace("\\n", "\n")), CoreModules::create,
                RewriteConfigErrorsTest::frame);
    }

    /** A regex syntax error reduced to nginx's frame around the engine's words; any other reason as it is. */
    private static String frame(String reason) {
        int pattern = reason.lastIndexOf(" in \"");
        return reason.startsWith(PCRE) && pattern >= 0 ? PCRE + "..." + reason.substring(pattern) : reason;
    }

    /** The directive at the given level, each on a line of its own so that lines tell levels apart. */
    private static String conf(String level, String directive) {
        String at = directive + "\n";
        return "events { }\nhttp {\n" + (level.equals("http") ? at : "") + "server {\nlisten 127.0.0.1:1;\n"
                + (level.equals("server") ? at : "") + "location / {\n" + (level.equals("location") ? at : "")
                + "}\n}\n}\n";
    }
}
