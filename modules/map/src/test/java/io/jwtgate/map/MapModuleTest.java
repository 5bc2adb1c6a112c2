package io.jwtgate.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** map over real sockets: exact, regex, captures, default, hostnames, chaining, redefinition, caching. */
class MapModuleTest {

    static final Supplier<List<HttpModule>> MODULES = () -> {
        List<HttpModule> m = new ArrayList<>(CoreModules.create());
        m.add(new MapModule());
        m.add(new CounterModule());
        return m;
    };

    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("map-test");
        Files.writeString(dir.resolve("roles.map"), "auditor \"read only\";\n~^svc- service;\n");
        gw = TestGateway.start(dir, """
                events { worker_connections 64; }
                http {
                    map_hash_bucket_size 128;
                    map $http_x_role $answer {
                        default guest;
                        admin administrator;
                        Editor editor;
                        ~^user-(\\d+)$ "user $1";
                        ~*^VIP-(?<level>\\w+)$ "vip $level";
                        ~^(?P<first_name>[a-z]+)\\.(?'last'[a-z]+)$ "$last, $first_name";
                        ~^user- "never: the earlier regex wins";
                        "" empty;
                        \\default "literal default";
                        hostnames "just a key before the word alone";
                        with-var "uri is $uri";
                        loc-capture "location says $1";
                        include roles.map;
                    }
                    map $http_x_name $site {
                        hostnames;
                        default none;
                        example.com exact;
                        *.example.com head;
                        *.deep.example.com deeper;
                        .example.org dot;
                        www.example.* tail;
                        www.example.co.* longer-tail;
                        ~^api\\d+\\.example\\.net$ regex;
                    }
                    map $host $by_host {
                        hostnames;
                        .localhost local;
                        default other;
                    }
                    map $answer $chained {
                        administrator root;
                        default "not root ($answer)";
                    }
                    map $http_x_redef $redefined { default first; }
                    map $http_x_redef $redefined { default second; }
                    map $http_x_none $no_default { a b; }
                    map $http_x_c $cached { default "c$test_counter"; }
                    map $http_x_c $uncached { volatile; default "c$test_counter"; }
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        location /role { return 200 "$answer"; }
                        location ~ ^/loc/(\\w+)$ { return 200 "$answer"; }
                        location /named { return 200 "$answer level=$level"; }
                        location /site { return 200 "$site"; }
                        location /host { return 200 "$by_host"; }
                        location /chain { return 200 "$chained"; }
                        location /redef { return 200 "$redefined"; }
                        location /nodefault { return 200 "[$no_default]"; }
                        location /cache { return 200 "$cached $cached $uncached $uncached"; }
                    }
                }
                """.formatted(TestGateway.freePort()), MODULES);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static String body(String path, String... headers) {
        RawResponse r = RawHttpClient.get(gw.port(), path, headers);
        assertThat(r.code()).isEqualTo(200);
        return r.bodyString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "admin            | administrator",
        "ADMIN            | administrator",
        "editor           | editor",
        "eDiToR           | editor",
        "user-42          | user 42",
        "User-42          | guest",
        "vip-gold         | vip gold",
        "VIP-Gold         | vip Gold",
        "john.smith       | smith, john",
        "default          | literal default",
        "hostnames        | just a key before the word alone",
        "with-var         | uri is /role",
        "auditor          | read only",
        "svc-billing      | service",
        "nobody           | guest",
    })
    void role(String role, String expected) {
        assertThat(body("/role", "X-Role: " + role)).isEqualTo(expected);
    }

    @Test
    void emptySourceMatchesTheEmptyKeyAndNeverARegex() {
        assertThat(body("/role")).isEqualTo("empty");
        assertThat(body("/role", "X-Role: ")).isEqualTo("empty");
    }

    @Test
    void capturesInAnExactEntryAreTheLocations() {
        assertThat(body("/loc/abc", "X-Role: loc-capture")).isEqualTo("location says abc");
    }

    @Test
    void namedCaptureIsAVariableAfterTheMapMatched() {
        assertThat(body("/named", "X-Role: vip-silver")).isEqualTo("vip silver level=silver");
        assertThat(body("/named", "X-Role: admin")).isEqualTo("administrator level=");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.com             | exact",
        "EXAMPLE.com             | exact",
        "example.com.            | exact",
        "www.example.com         | head",
        "a.b.example.com         | head",
        "x.deep.example.com      | deeper",
        "deep.example.com        | head",
        "example.org             | dot",
        "www.example.org         | dot",
        "www.example.net         | tail",
        "www.example.co.uk       | longer-tail",
        "api7.example.net        | regex",
        "API7.example.net        | none",
        "wwwexample.com          | none",
        "other.test              | none",
    })
    void hostnames(String name, String expected) {
        assertThat(body("/site", "X-Name: " + name)).isEqualTo(expected);
    }

    @Test
    void hostnamesOnHost() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET /host HTTP/1.1\r\nHost: api.LOCALHOST:8080\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().bodyString()).isEqualTo("local");
        }
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET /host HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().bodyString()).isEqualTo("other");
        }
    }

    @Test
    void mapOfAMap() {
        assertThat(body("/chain", "X-Role: admin")).isEqualTo("root");
        assertThat(body("/chain", "X-Role: editor")).isEqualTo("not root (editor)");
    }

    @Test
    void secondMapReplacesTheFirst() {
        assertThat(body("/redef")).isEqualTo("second");
    }

    @Test
    void noDefaultIsEmpty() {
        assertThat(body("/nodefault", "X-None: zzz")).isEqualTo("[]");
        assertThat(body("/nodefault", "X-None: A")).isEqualTo("[b]");
    }

    @Test
    void evaluatedOncePerRequestUnlessVolatile() {
        assertThat(body("/cache")).isEqualTo("c1 c1 c2 c3");
    }
}
