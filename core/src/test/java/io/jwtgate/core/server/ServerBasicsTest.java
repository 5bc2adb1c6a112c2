package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server over real sockets: location selection, return, add_header, internal, keep-alive, bad requests. */
class ServerBasicsTest {

    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        int port = TestGateway.freePort();
        gw = TestGateway.start("""
                events { worker_connections 64; }
                http {
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                        add_header X-Server-Level yes;
                        location = / { return 200 "A"; }
                        location / { return 200 "B"; }
                        location /documents/ { return 200 "C"; }
                        location ^~ /images/ { return 200 "D"; }
                        location ~* \\.(gif|jpg|jpeg)$ { return 200 "E"; }
                        location /hidden { internal; return 200 "secret"; }
                        location /redirect { return 301 /target; }
                        location /headers {
                            add_header X-Ok ok;
                            add_header X-Always always always;
                            location /headers/404 { return 404; }
                            return 200 "h";
                        }
                        location ~ ^/cap/(\\w+)$ { return 200 "got $1 $arg_x"; }
                        location ~ ^/users/(?<user_id>\\d+)/(?P<item>\\w+)$ { return 200 "user $user_id item $item"; }
                        location /ka { keepalive_timeout 30s 7; return 200 "ka"; }
                        location /vars { return 200 "$request_method $uri $args $host $http_x_test"; }
                    }
                }
                """.formatted(port), CoreModules::create);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @ParameterizedTest
    @CsvSource({
        "/, A",
        "/index.html, B",
        "/documents/document.html, C",
        "/images/1.gif, D",
        "/documents/1.jpg, E",
        "/DOCUMENTS/1.JPG, E",
        "/a/../documents/x, C",
        "/%64ocuments/x, C",
        "//documents///x, C",
    })
    void nginxDocumentationLocationExample(String path, String expected) {
        RawResponse r = RawHttpClient.get(gw.port(), path);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo(expected);
    }

    @Test
    void internalLocationIs404ForClients() {
        assertThat(RawHttpClient.get(gw.port(), "/hidden").code()).isEqualTo(404);
    }

    @Test
    void redirectIsAbsolute() {
        RawResponse r = RawHttpClient.get(gw.port(), "/redirect");
        assertThat(r.code()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("http://localhost:" + gw.port() + "/target");
    }

    @Test
    void addHeaderOnlyOnSuccessUnlessAlways() {
        RawResponse ok = RawHttpClient.get(gw.port(), "/headers");
        assertThat(ok.header("X-Ok")).isEqualTo("ok");
        assertThat(ok.header("X-Always")).isEqualTo("always");
        assertThat(ok.header("X-Server-Level")).isNull();
        RawResponse nf = RawHttpClient.get(gw.port(), "/headers/404");
        assertThat(nf.code()).isEqualTo(404);
        assertThat(nf.header("X-Ok")).isNull();
        assertThat(nf.header("X-Always")).isEqualTo("always");
        assertThat(RawHttpClient.get(gw.port(), "/index.html").header("X-Server-Level")).isEqualTo("yes");
    }

    @Test
    void regexCapturesAndVariables() {
        assertThat(RawHttpClient.get(gw.port(), "/cap/abc?x=1").bodyString()).isEqualTo("got abc 1");
        assertThat(RawHttpClient.get(gw.port(), "/vars?a=b", "X-Test: t").bodyString())
                .isEqualTo("GET /vars a=b localhost t");
    }

    @Test
    void namedCapturesAreVariables() {
        assertThat(RawHttpClient.get(gw.port(), "/users/42/books").bodyString()).isEqualTo("user 42 item books");
    }

    @Test
    void keepAliveAndPipelining() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\nGET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawResponse a = c.readResponse();
            RawResponse b = c.readResponse();
            assertThat(a.bodyString()).isEqualTo("A");
            assertThat(b.bodyString()).isEqualTo("B");
            c.send("GET /documents/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().bodyString()).isEqualTo("C");
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void answeredBeforeAnExpectedBodyClosesTheConnection() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            // the client waits for 100 Continue; the answer comes without it, so the body may never follow
            c.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            // without the expectation the body is on its way: read and dropped, and the connection lives on
            c.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /documents/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(c.readResponse().header("Connection")).isEqualTo("keep-alive");
            assertThat(c.readResponse().bodyString()).isEqualTo("C");
        }
    }

    @Test
    void keepaliveTimeoutHeader() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET /ka HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.header("Keep-Alive")).isEqualTo("timeout=7");
            assertThat(r.header("Connection")).isEqualTo("keep-alive");
        }
    }

    @Test
    void http10WithoutHost() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET / HTTP/1.0\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo("A");
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET / HTTP/1.1\\r\\n\\r\\n | 400",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n | 400",
        "GET /../x HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n | 400",
        "GET /%zz HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n | 400",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 400",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nContent-Length: 4\\r\\n\\r\\nabc | 400",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nAuthorization: Bearer a\\r\\nAuthorization: Bearer b\\r\\n\\r\\n | 400",
        "GARBAGE\\r\\n\\r\\n | 400",
        "GET / HTTP/2.0\\r\\nHost: a\\r\\n\\r\\n | 505",
        "POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n | 501",
    })
    void malformedRequestsGetAnErrorAndClose(String raw, int status) {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send(raw.replace("\\r\\n", "\r\n"));
            RawResponse r = c.readResponse();
            assertThat(r.code()).isEqualTo(status);
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void uriTooLongIs414() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().code()).isEqualTo(414);
        }
    }

    @Test
    void headersTooLargeIs400() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(40000) + "\r\n\r\n");
            assertThat(c.readResponse().code()).isEqualTo(400);
        }
    }
}
