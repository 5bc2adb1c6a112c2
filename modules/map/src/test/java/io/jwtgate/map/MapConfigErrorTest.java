package io.jwtgate.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration mistakes in map blocks, with nginx's messages and the line of the offending entry. */
class MapConfigErrorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // the map block's body (line 4 onwards) | the message | its line
        "a b c;                           | invalid number of the map parameters | 4",
        "a;                               | invalid number of the map parameters | 4",
        "default;                         | invalid number of the map parameters | 4",
        "default a;\\n  default b;        | duplicate default map parameter | 5",
        "a 1;\\n  A 2;                    | conflicting parameter \"a\" | 5",
        "x { }                            | unexpected \"{\" | 4",
        "~(abc 1;                         | invalid regex \"(abc\": Unclosed group | 4",
        "~^(?<n>a)(?<n>b) 1;              | "
                + "invalid regex \"^(?<n>a)(?<n>b)\": two named subpatterns have the same name | 4",
        "default $nosuch;                 | unknown \"nosuch\" variable | 4",
        "default \"${x\";                 | the closing bracket in \"x\" variable is missing | 4",
        "hostnames;\\n  a*b 1;            | invalid hostname or wildcard \"a*b\" | 5",
        "hostnames;\\n  *.a.*  1;         | invalid hostname or wildcard \"*.a.*\" | 5",
        "hostnames;\\n  a..b 1;           | invalid hostname or wildcard \"a..b\" | 5",
        "hostnames;\\n  .Example.com 1;\\n  example.com 2;   | conflicting parameter \"example.com\" | 6",
        "hostnames;\\n  example.com 1;\\n  .example.com 2;   | conflicting parameter \".example.com\" | 6",
        "hostnames;\\n  *.example.com 1;\\n  .example.com 2; | conflicting parameter \".example.com\" | 6",
        "example.com 1;\\n  hostnames;\\n  .example.com 2;   | conflicting parameter \".example.com\" | 6",
        "hostnames;\\n  www.* 1;\\n  WWW.* 2;                | conflicting parameter \"www.*\" | 6",
    })
    void entryErrors(String body, String message, int line) throws Exception {
        String conf = "events { }\nhttp {\nmap $http_x $y {\n  " + body.replace("\\n", "\n") + "\n}\n}\n";
        assertError(conf, message, line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "map $a b { }                          | invalid variable name \"b\" | 2",
        "map $a $ { }                          | invalid variable name \"$\" | 2",
        "map $a $host { }                      | the duplicate \"host\" variable | 2",
        "map $a $b;                            | directive \"map\" has no opening \"{\" | 2",
        "map $a { }                            | invalid number of arguments in \"map\" directive | 2",
        "server { map $a $b { } }              | \"map\" directive is not allowed here | 2",
        "map $nosuch $b { }                    | unknown \"nosuch\" variable | 2",
        "map_hash_max_size x;                  | \"map_hash_max_size\" directive invalid number | 2",
        "map_hash_bucket_size 64; map_hash_bucket_size 64; | \"map_hash_bucket_size\" directive is duplicate | 2",
    })
    void directiveErrors(String directive, String message, int line) throws Exception {
        assertError("events { }\nhttp { " + directive + "\n}\n", message, line);
    }

    private static void assertError(String conf, String message, int line) throws Exception {
        Path dir = Files.createTempDirectory("map-conf");
        ConfException e = TestGateway.configError(dir, conf, MapModuleTest.MODULES);
        assertThat(e).as("configuration error").isNotNull();
        assertThat(e.getMessage()).isEqualTo(message + " in " + dir.resolve("nginx.conf") + ":" + line);
    }
}
