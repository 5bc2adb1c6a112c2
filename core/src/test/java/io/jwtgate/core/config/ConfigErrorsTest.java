package io.jwtgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration checking: every violation stops the load with nginx's message and the right line. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    private ConfException error(String conf) throws Exception {
        return TestGateway.configError(dir, conf.replace("\\n", "\n"), CoreModules::create);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "foo bar;| unknown directive \"foo\"| 1",
        "http {\\n  server {\\n    bogus;\\n  }\\n}| unknown directive \"bogus\"| 3",
        "server { }| \"server\" directive is not allowed here| 1",
        "http { location / { } }| \"location\" directive is not allowed here| 1",
        "http { server { listen 80 81; } }| invalid parameter \"81\"| 1",
        "http { server { listen 99999; } }| invalid port in \"99999\" of the \"listen\" directive| 1",
        "http { server { listen unix:/tmp/x; } }| unix domain sockets are not supported in \"listen\" directive| 1",
        "http { server { location / { internal x; } } }| invalid number of arguments in \"internal\" directive| 1",
        "http { server { location { } } }| invalid number of arguments in \"location\" directive| 1",
        "http { server { location / / / { } } }| invalid number of arguments in \"location\" directive| 1",
        "http { server { location ^^ /a { } } }| invalid location modifier \"^^\"| 1",
        "http { server {\\n location /a {\\n  location @x { }\\n } } }| "
                + "named location \"@x\" can be on the server level only| 3",
        "http { server { location @x {\\n location /a { } } } }| "
                + "location \"/a\" cannot be inside the named location \"@x\"| 2",
        "http { server { location = /a {\\n location @y { } } } }| "
                + "location \"@y\" cannot be inside the exact location \"/a\"| 2",
        "http { server { location / ; } }| directive \"location\" has no opening \"{\"| 1",
        "http { server { internal { } } }| \"internal\" directive is not allowed here| 1",
        "http { server { location / { internal { } } } }| directive \"internal\" is not terminated by \";\"| 1",
        "http { client_max_body_size 1x; }| \"client_max_body_size\" directive invalid value| 1",
        "http { client_max_body_size 1m; client_max_body_size 2m; }| "
                + "\"client_max_body_size\" directive is duplicate| 1",
        "http { keepalive_timeout 5q; }| \"keepalive_timeout\" directive invalid value| 1",
        "http { server { location / { underscores_in_headers on; } } }| "
                + "\"underscores_in_headers\" directive is not allowed here| 1",
        "http { underscores_in_headers yes; }| "
                + "invalid value \"yes\" in \"underscores_in_headers\" directive, it must be \"on\" or \"off\"| 1",
        "http { underscores_in_headers on; underscores_in_headers off; }| "
                + "\"underscores_in_headers\" directive is duplicate| 1",
        "http { server { location / { ignore_invalid_headers on; } } }| "
                + "\"ignore_invalid_headers\" directive is not allowed here| 1",
        "http { ignore_invalid_headers yes; }| "
                + "invalid value \"yes\" in \"ignore_invalid_headers\" directive, it must be \"on\" or \"off\"| 1",
        "http { ignore_invalid_headers on; ignore_invalid_headers off; }| "
                + "\"ignore_invalid_headers\" directive is duplicate| 1",
        "http { keepalive_requests -1; }| \"keepalive_requests\" directive invalid number| 1",
        "http { keepalive_requests 5; keepalive_requests 6; }| \"keepalive_requests\" directive is duplicate| 1",
        "http { keepalive_time 1x; }| \"keepalive_time\" directive invalid value| 1",
        "http { satisfy some; }| "
                + "invalid value \"some\" in \"satisfy\" directive, it must be one of \"all\", \"any\"| 1",
        "worker_processes none;| invalid value \"none\" in \"worker_processes\" directive| 1",
        "worker_processes 1;\\nworker_processes 2;| \"worker_processes\" directive is duplicate| 2",
        "events { worker_connections 0; }| invalid number \"0\"| 1",
        "error_log stderr loud;| invalid log level \"loud\"| 1",
        "http { }\\nhttp { }| \"http\" directive is duplicate| 2",
        "http {\\n server {\\n  location / {\\n   return 200 $nope;\\n  }\\n }\\n}| unknown \"nope\" variable| 4",
        "http { server { location / { return 200 \"$\"; } } }| invalid variable name| 1",
        "http { server { location / { return 200 \"${a\"; } } }| the closing bracket in \"a\" variable is missing| 1",
        "http { server { location / { return abc; } } }| invalid return code \"abc\"| 1",
        "http { server { location / { add_header X y z; } } }| invalid parameter \"z\"| 1",
        "http { log_format combined x; }| duplicate \"log_format\" name \"combined\"| 1",
        "http { access_log /tmp/x nosuch; }| unknown log format \"nosuch\"| 1",
        "http { server { location / { }\\n location / { } } }| duplicate location \"/\"| 2",
        "http { server { location /a { location /b { } } } }| location \"/b\" is outside location \"/a\"| 1",
        "http { server { location = /a {\\n location /a/b { } } } }| "
                + "location \"/a/b\" cannot be inside the exact location \"/a\"| 2",
        "http { server { location ~ ( { } } }| invalid regex| 1",
        "http { server { listen 127.0.0.1:8080; listen 127.0.0.1:8080; } }| a duplicate listen 127.0.0.1:8080| 1",
        "http { server { listen 127.0.0.1:8080 default_server; }\\n server { listen 127.0.0.1:8080 default_server; } }"
                + "| a duplicate default server for 127.0.0.1:8080| 2",
    })
    void invalidConfigurations(String conf, String message, int line) throws Exception {
        ConfException e = error(conf);
        assertThat(e).as("expected an error").isNotNull();
        assertThat(e.reason()).startsWith(message);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.getMessage()).endsWith(" in " + dir.resolve("nginx.conf").toAbsolutePath().normalize() + ":"
                + line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "events { } http { server { listen 127.0.0.1:8080; server_name a *.b c.* ~^d$ \"\"; "
                + "location / { return 204; } } }",
        "worker_processes auto; pid /tmp/x.pid; error_log stderr warn; http { satisfy any; keepalive_timeout 10s 5s; "
                + "keepalive_requests 100000; keepalive_time 2h; }",
        "http { log_format main escape=json '$remote_addr \"$request\"'; access_log off; server { location =/x { } "
                + "location ^~/y { } location ~*\\.z$ { } } }",
    })
    void validConfigurations(String conf) throws Exception {
        assertThat(error(conf)).isNull();
    }

    @Test
    void errorsInIncludedFilesNameThatFile() throws Exception {
        Files.writeString(dir.resolve("part.conf"), "server {\n  frobnicate;\n}\n");
        ConfException e = error("http {\n include part.conf;\n}\n");
        assertThat(e.getMessage()).isEqualTo("unknown directive \"frobnicate\" in "
                + dir.resolve("part.conf").toAbsolutePath().normalize() + ":2");
    }

    @Test
    void mergesInheritPerLevel() throws Exception {
        Files.writeString(dir.resolve("nginx.conf"), """
                http {
                    client_max_body_size 2m;
                    server {
                        listen 127.0.0.1:8080;
                        location /a { client_max_body_size 3m; location /a/b { } }
                        location /c { }
                    }
                }
                """);
        GatewayConfig cfg = new ConfigLoader(CoreModules.create()).load(dir.resolve("nginx.conf"));
        var vs = cfg.http().listens().get(0).wildcard().defaultServer();
        assertThat(vs.match("/a/b/x").payload().core().clientMaxBodySize()).isEqualTo(3 << 20);
        assertThat(vs.match("/c").payload().core().clientMaxBodySize()).isEqualTo(2 << 20);
        assertThat(vs.match("/zzz").isMatched()).isFalse();
        assertThat(vs.conf().conf().core().clientMaxBodySize()).isEqualTo(2 << 20);
        assertThat(vs.conf().conf().core().keepaliveTimeoutMs()).isEqualTo(75_000);
    }

    /** Two modules defining one directive in one context: the second would never run, so loading refuses it. */
    @Test
    void aDirectiveDefinedTwiceInOneContextIsAProgrammingError() throws Exception {
        HttpModule second = new HttpModule("second_return") {
            @Override
            public List<Directive> directives() {
                return List.of(Directive.of("return", EnumSet.of(Context.LOCATION), Arity.TAKE1, (cx, d) -> { }));
            }
        };
        List<HttpModule> modules = new ArrayList<>(CoreModules.create());
        modules.add(second);
        Files.writeString(dir.resolve("nginx.conf"), "events { }\n");
        assertThatThrownBy(() -> new ConfigLoader(modules).load(dir.resolve("nginx.conf")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("directive \"return\" of module second_return is already defined in the same context");
    }

    /** A path Java cannot make (it holds a NUL) stops the load with a message, not an exception (found by fuzzing). */
    @Test
    void pathWithANulCharacter() throws Exception {
        ConfException e = error("pid \"run/a\u0000b.pid\";");
        assertThat(e.getMessage()).isEqualTo("NUL character in a path of the \"pid\" directive in "
                + dir.resolve("nginx.conf") + ":1");
        e = error("include \"a\u0000\";");
        assertThat(e.getMessage()).isEqualTo("NUL character in a path of the \"include\" directive in "
                + dir.resolve("nginx.conf") + ":1");
    }
}
