package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.http.Product;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Request and response headers across the proxy: nginx's defaults, proxy_set_header, hop-by-hop removal. */
class ProxyHeadersTest {

    static TestBackend backend;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start();
        String b = backend.hostPort();
        gw = Gateways.start("""
                    proxy_set_header X-Http-Level http;
                """, """
                        location /default/ { proxy_pass http://%1$s; }
                        location /set/ {
                            proxy_set_header Host example.org;
                            proxy_set_header X-Real-IP $remote_addr;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header User-Agent "";
                            proxy_set_header X-Empty $http_x_missing;
                            proxy_set_header X-Proxy-Host "[$proxy_host]";
                            proxy_pass http://%1$s;
                            location /set/inner/ { proxy_pass http://%1$s; }
                            location /set/own/ {
                                proxy_set_header X-Own own;
                                proxy_pass http://%1$s;
                            }
                        }
                        location /v11/ {
                            proxy_http_version 1.1;
                            proxy_pass http://%1$s;
                        }
                        location /noheaders/ {
                            proxy_pass_request_headers off;
                            proxy_pass http://%1$s;
                        }
                        location /nobody/ {
                            proxy_pass_request_body off;
                            proxy_pass http://%1$s;
                        }
                        location /port80/ { proxy_pass http://127.0.0.1:80; }
                """.formatted(b));
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    @AfterEach
    void reset() {
        backend.reply(Reply.echo());
    }

    private static RecordedRequest take() {
        return backend.takeRequest(Duration.ofSeconds(5));
    }

    @Test
    void nginxDefaultsAndHopByHopRemoval() {
        while (backend.takeRequest(Duration.ZERO) != null) {
            // drain
        }
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET /default/x HTTP/1.1\r\nHost: client.example\r\nConnection: keep-alive, X-Custom\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nUpgrade: websocket\r\nProxy-Connection: x\r\n"
                    + "X-Custom: kept\r\nAccept: */*\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.code()).isEqualTo(200);
        }
        RecordedRequest req = take();
        assertThat(req.version()).isEqualTo("HTTP/1.0");
        assertThat(req.headers("Host")).containsExactly(backend.hostPort());
        assertThat(req.headers("Connection")).containsExactly("close");
        assertThat(req.header("Keep-Alive")).isNull();
        assertThat(req.header("TE")).isNull();
        assertThat(req.header("Upgrade")).isNull();
        assertThat(req.header("X-Custom")).isEqualTo("kept");
        assertThat(req.header("Proxy-Connection")).isEqualTo("x");
        assertThat(req.header("Accept")).isEqualTo("*/*");
        assertThat(req.header("X-Http-Level")).isEqualTo("http");
        assertThat(req.header("X-Forwarded-For")).isEqualTo("1.2.3.4");
        // nginx's order: the set headers first, then the client's
        assertThat(req.headers().toString().indexOf("X-Http-Level"))
                .isLessThan(req.headers().toString().indexOf("X-Custom"));
    }

    @Test
    void proxySetHeaderOverridesRemovesAndInherits() {
        RawHttpClient.get(gw.port(), "/set/x", "User-Agent: curl", "X-Forwarded-For: 10.0.0.1",
                "X-Forwarded-For: 10.0.0.2");
        RecordedRequest req = take();
        assertThat(req.headers("Host")).containsExactly("example.org");
        assertThat(req.header("X-Real-IP")).isEqualTo("127.0.0.1");
        assertThat(req.headers("X-Forwarded-For")).containsExactly("10.0.0.1, 10.0.0.2, 127.0.0.1");
        assertThat(req.header("User-Agent")).isNull();
        assertThat(req.header("X-Empty")).isNull();
        assertThat(req.header("X-Proxy-Host")).isEqualTo("[" + backend.hostPort() + "]");
        // the location's own set replaces the http level's
        assertThat(req.header("X-Http-Level")).isNull();

        RawHttpClient.get(gw.port(), "/set/inner/y");
        RecordedRequest inner = take();
        assertThat(inner.headers("Host")).containsExactly("example.org");
        assertThat(inner.header("X-Forwarded-For")).isEqualTo("127.0.0.1");

        RawHttpClient.get(gw.port(), "/set/own/z");
        RecordedRequest own = take();
        assertThat(own.header("X-Own")).isEqualTo("own");
        assertThat(own.header("X-Real-IP")).isNull();
        assertThat(own.headers("Host")).containsExactly(backend.hostPort());
    }

    @Test
    void http11AndProxyHostWithoutDefaultPort() {
        RawHttpClient.get(gw.port(), "/v11/x");
        RecordedRequest req = take();
        assertThat(req.version()).isEqualTo("HTTP/1.1");
        assertThat(req.header("Connection")).isEqualTo("close");
    }

    @Test
    void passRequestHeadersOff() {
        RawHttpClient.get(gw.port(), "/noheaders/x", "X-Custom: dropped", "Accept: */*");
        RecordedRequest req = take();
        assertThat(req.header("X-Custom")).isNull();
        assertThat(req.header("Accept")).isNull();
        assertThat(req.header("Host")).isEqualTo(backend.hostPort());
        assertThat(req.header("X-Http-Level")).isEqualTo("http");
    }

    @Test
    void passRequestBodyOff() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("POST /nobody/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /default/after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().code()).isEqualTo(200);
            RecordedRequest req = take();
            assertThat(req.method()).isEqualTo("POST");
            assertThat(req.bodyLength()).isZero();
            assertThat(req.header("Content-Length")).isNull();
            // the unread body was discarded and the connection goes on
            assertThat(c.readResponse().code()).isEqualTo(200);
            assertThat(take().uri()).isEqualTo("/default/after");
        }
    }

    @Test
    void bodyWithContentLengthIsPassed() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("POST /default/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
            assertThat(c.readResponse().code()).isEqualTo(200);
        }
        RecordedRequest req = take();
        assertThat(req.bodyString()).isEqualTo("hello");
        assertThat(req.header("Content-Length")).isEqualTo("5");
    }

    @Test
    void responseHeadersLoseHopByHopAndUpstreamDateServer() {
        backend.reply(Reply.status(201, "made").header("Server", "backend/1.0").header("Date", "yesterday")
                .header("X-Accel-Charset", "utf-8").header("X-Pad", "avoid browser bug")
                .header("Keep-Alive", "timeout=5").header("X-App", "a").header("Set-Cookie", "a=1")
                .header("Set-Cookie", "b=2"));
        RawResponse r = RawHttpClient.get(gw.port(), "/default/x");
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.reason()).isEqualTo("Created");
        assertThat(r.bodyString()).isEqualTo("made");
        assertThat(r.headers("Server")).containsExactly("jwtgate/" + Product.VERSION);
        assertThat(r.headers("Date")).hasSize(1).doesNotContain("yesterday");
        assertThat(r.header("X-Accel-Charset")).isNull();
        assertThat(r.header("X-Pad")).isNull();
        assertThat(r.header("Keep-Alive")).isNull();
        assertThat(r.header("X-App")).isEqualTo("a");
        assertThat(r.headers("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(r.header("Content-Length")).isEqualTo("4");
        take();
    }

    @Test
    void chunkedResponseIsChunkedForHttp11AndCloseDelimitedForHttp10() {
        backend.reply(Reply.chunked(200, List.of("ab", "cd", "ef")));
        RawResponse r = RawHttpClient.get(gw.port(), "/default/x");
        assertThat(r.framing()).isEqualTo(RawResponse.Framing.CHUNKED);
        assertThat(r.bodyString()).isEqualTo("abcdef");
        assertThat(r.isBodyComplete()).isTrue();
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("GET /v11/x HTTP/1.0\r\n\r\n");
            RawResponse r10 = c.readResponse();
            assertThat(r10.framing()).isEqualTo(RawResponse.Framing.UNTIL_CLOSE);
            assertThat(r10.bodyString()).isEqualTo("abcdef");
        }
        take();
        take();
    }

    @Test
    void headRequestKeepsHeadersWithoutBody() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("HEAD /default/x HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse r = c.readResponse(true);
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Length")).isNotNull();
            c.send("GET /default/y HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().code()).isEqualTo(200);
        }
        assertThat(take().method()).isEqualTo("HEAD");
        take();
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyAndNotForwarded() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("POST /default/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawResponse interim = c.readResponse();
            assertThat(interim.code()).isEqualTo(100);
            c.send("hello");
            assertThat(c.readResponse().code()).isEqualTo(200);
        }
        RecordedRequest req = take();
        assertThat(req.bodyString()).isEqualTo("hello");
        assertThat(req.header("Expect")).isNull();
    }
}
