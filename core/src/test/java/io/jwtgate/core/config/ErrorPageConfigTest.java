package io.jwtgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.ErrorPage;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code error_page} and {@code recursive_error_pages} in the configuration: nginx's checks and words with the file
 * and line, compared with what {@code nginx -t} says about the same text where nginx is installed, and how the lists
 * merge.
 */
class ErrorPageConfigTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http {\\n error_page 404;\\n}| invalid number of arguments in \"error_page\" directive| 2",
        "http { error_page =404 /x; }| invalid value \"=404\"| 1",
        "http { error_page 404 =abc /x; }| invalid value \"=abc\"| 1",
        "http { error_page 404 =-1 /x; }| invalid value \"=-1\"| 1",
        "http { error_page 404 == /x; }| invalid value \"==\"| 1",
        "http { error_page abc /x; }| invalid value \"abc\"| 1",
        "http { error_page 499 /x; }| invalid value \"499\"| 1",
        "http { error_page 200 /x; }| value \"200\" must be between 300 and 599| 1",
        "http { error_page 404 600 /x; }| value \"600\" must be between 300 and 599| 1",
        "http { error_page 404 /x /y; }| invalid value \"/x\"| 1",
        "http {\\n server {\\n  error_page 404 /x$nope;\\n }\\n}| unknown \"nope\" variable| 3",
        "error_page 404 /x;| \"error_page\" directive is not allowed here| 1",
        "http { server {\\n if ($args) { error_page 404 /x; } } }| \"error_page\" directive is not allowed here| 2",
        "http { server { location / {\\n if ($args) { recursive_error_pages on; } } } }"
                + "| \"recursive_error_pages\" directive is not allowed here| 2",
        "http { recursive_error_pages maybe; }"
                + "| invalid value \"maybe\" in \"recursive_error_pages\" directive, it must be \"on\" or \"off\"| 1",
        "http { recursive_error_pages on; recursive_error_pages off; }"
                + "| \"recursive_error_pages\" directive is duplicate| 1",
        "http { recursive_error_pages; }| invalid number of arguments in \"recursive_error_pages\" directive| 1",
    })
    void invalidConfigurations(String conf, String message, int line) throws Exception {
        conf = conf.replace("\\n", "\n");
        ConfException e = TestGateway.configError(dir, conf, CoreModules::create);
        assertThat(e).as("expected an error").isNotNull();
        String where = " in " + dir.resolve("nginx.conf").toAbsolutePath().normalize() + ":" + line;
        assertThat(e.getMessage()).isEqualTo(message + where);
        NginxConfigCheck.Logged nginx = nginx(conf).refusal();
        assertThat(nginx.reason()).isEqualTo(message);
        // nginx reports unknown variables without a place; jwtgate adds it
        assertThat(nginx.line()).isEqualTo(message.startsWith("unknown") ? 0 : line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http { error_page 404 =0 /x; error_page 404 =999 /x; error_page 300 599 /x; error_page 404 \"\"; }",
        "http { error_page 404 = \"\"; error_page 500 502 503 504 = @fallback; error_page 401 http://e.example/; }",
        "http { recursive_error_pages on; server { recursive_error_pages off; "
                + "location / { error_page 404 /x?a=1; } } }",
        "http { server { location / { if ($args) { error_page 404 = @x; } } location @x { } } }",
    })
    void validConfigurations(String conf) throws Exception {
        assertThat(TestGateway.configError(dir, conf, CoreModules::create)).isNull();
        assertAcceptedSilently(nginx(conf));
    }

    @Test
    void aSecondNamedLocationOfTheSameNameIsAcceptedWithAWarning() throws Exception {
        String conf = "http { server { listen 127.0.0.1:8080; location @x { }\n location @x { } } }";
        Files.writeString(dir.resolve("nginx.conf"), conf);
        GatewayConfig cfg = new ConfigLoader(CoreModules.create()).load(dir.resolve("nginx.conf"));
        assertThat(cfg.warnings()).containsExactly("duplicate named location \"@x\": the first one is used in "
                + dir.resolve("nginx.conf").toAbsolutePath().normalize() + ":2");
        assertAcceptedSilently(nginx(conf)); // nginx accepts it too, silently
    }

    @Test
    void aLevelWithItsOwnErrorPagesReplacesTheInheritedOnes() throws Exception {
        Files.writeString(dir.resolve("nginx.conf"), """
                http {
                    error_page 404 /http;
                    recursive_error_pages on;
                    server {
                        listen 127.0.0.1:8080;
                        location /a { error_page 500 = @a; error_page 502 504 =200 /b?x=1; }
                        location /c { recursive_error_pages off; }
                    }
                }
                """);
        GatewayConfig cfg = new ConfigLoader(CoreModules.create()).load(dir.resolve("nginx.conf"));
        var vs = cfg.http().listens().get(0).wildcard().defaultServer();
        LocationConf a = vs.match("/a").payload();
        assertThat(a.core().errorPages()).extracting(ErrorPage::status, ErrorPage::overwrite, ErrorPage::uri,
                ErrorPage::args).containsExactly(
                        Tuple.tuple(500, 0, "@a", null),
                        Tuple.tuple(502, 200, "/b", "x=1"),
                        Tuple.tuple(504, 200, "/b", "x=1"));
        assertThat(a.core().errorPage(404)).isNull();
        assertThat(a.core().recursiveErrorPages()).isTrue();
        LocationConf c = vs.match("/c").payload();
        assertThat(c.core().errorPage(404)).extracting(ErrorPage::overwrite, ErrorPage::uri)
                .containsExactly(ErrorPage.KEEP_STATUS, "/http");
        assertThat(c.core().recursiveErrorPages()).isFalse();
        assertThat(vs.conf().conf().core().errorPage(404)).isNotNull();
    }

    /** {@code nginx -t} of {@code conf} after an empty {@code events} block on its first line (lines unchanged). */
    private NginxConfigCheck nginx(String conf) throws Exception {
        return NginxConfigCheck.run(Files.createDirectories(dir.resolve("nginx")), "events { } " + conf);
    }

    private static void assertAcceptedSilently(NginxConfigCheck nginx) {
        assertThat(nginx.successful()).as("nginx -t accepts it: " + nginx.output()).isTrue();
        assertThat(nginx.logged()).as("nginx -t says nothing else: " + nginx.output()).isEmpty();
    }
}
