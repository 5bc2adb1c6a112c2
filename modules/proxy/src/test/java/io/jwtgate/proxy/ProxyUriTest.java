package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The request target the upstream receives, for nginx's documented {@code proxy_pass} rules: with a URI part the
 * matched prefix of the normalised URI is replaced (and re-escaped); without one the client's target passes
 * unchanged; with variables the evaluated URI is used as is.
 */
class ProxyUriTest {

    static TestBackend backend;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start();
        String b = backend.hostPort();
        gw = Gateways.start("""
                    upstream named { server %1$s; }
                """.formatted(b), """
                        location /name/ { proxy_pass http://%1$s/remote/; }
                        location /some/path/ { proxy_pass http://%1$s; }
                        location /api/ { proxy_pass http://%1$s/; }
                        location /pre { proxy_pass http://%1$s/x; }
                        location = /exact { proxy_pass http://%1$s/other; }
                        location /up/ { proxy_pass http://named/u/; }
                        location /upraw/ { proxy_pass http://named; }
                        location ~ ^/re/ { proxy_pass http://%1$s; }
                        location /var/ { proxy_pass http://%1$s/v/$arg_p; }
                        location /varuri/ { proxy_pass http://%1$s$request_uri; }
                        location /varhost/ { proxy_pass http://$http_x_up; }
                        location /nested/ {
                            proxy_pass http://%1$s/outer/;
                            location /nested/inner/ { proxy_pass http://%1$s/in/; }
                        }
                """.formatted(b));
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // nginx docs: "location /name/ { proxy_pass http://127.0.0.1/remote/; }"
        "/name/x                 | /remote/x",
        "/name/a/b.html?x=1&y    | /remote/a/b.html?x=1&y",
        "/name/a%20b             | /remote/a%20b",
        "/name/a%2Fb             | /remote/a/b",
        "/name/%C3%A9t%C3%A9     | /remote/%C3%A9t%C3%A9",
        "/name/../name/./x       | /remote/x",
        "//name///x              | /remote/x",
        "/name/%7Euser           | /remote/~user",
        "/name/x?                | /remote/x",
        "/name/                  | /remote/",
        // no URI part: the request URI as the client sent it
        "/some/path/page.html    | /some/path/page.html",
        "/some/path/a%2Fb?q=%41  | /some/path/a%2Fb?q=%41",
        "/some//path/../path/x   | /some//path/../path/x",
        "/api/users?id=1         | /users?id=1",
        "/prefix                 | /xfix",
        "/exact?a=b              | /other?a=b",
        "/up/x                   | /u/x",
        "/upraw/x%20y            | /upraw/x%20y",
        "/re/a%2Fb?c             | /re/a%2Fb?c",
        // variables with a URI part: the URI as evaluated, without the arguments
        "/var/anything?p=abc     | /v/abc",
        "/varuri/q%20r?s=1       | /varuri/q%20r?s=1",
        "/nested/x               | /outer/x",
        "/nested/inner/y         | /in/y",
    })
    void upstreamReceives(String target, String expected) {
        RawResponse r = RawHttpClient.get(gw.port(), target);
        assertThat(r.code()).isEqualTo(200);
        RecordedRequest req = backend.lastRequest();
        assertThat(req.uri()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"/varhost/a%20b?c=d"})
    void variableHostWithoutUriPassesTheRequestUri(String target) {
        RawResponse r = RawHttpClient.get(gw.port(), target, "X-Up: " + backend.hostPort());
        assertThat(r.code()).isEqualTo(200);
        assertThat(backend.lastRequest().uri()).isEqualTo(target);
        assertThat(backend.lastRequest().header("Host")).isEqualTo(backend.hostPort());
        RawResponse named = RawHttpClient.get(gw.port(), target, "X-Up: named");
        assertThat(named.code()).isEqualTo(200);
        assertThat(backend.lastRequest().header("Host")).isEqualTo("named");
        RawResponse unresolved = RawHttpClient.get(gw.port(), target, "X-Up: no-such-host.invalid");
        assertThat(unresolved.code()).isEqualTo(502);
    }

    @ParameterizedTest
    @CsvSource({"/name, /name/", "/some/path, /some/path/"})
    void prefixWithoutSlashRedirects(String target, String location) {
        RawResponse r = RawHttpClient.get(gw.port(), target);
        assertThat(r.code()).isEqualTo(301);
        assertThat(r.header("Location")).endsWith(location);
    }
}
