package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy_method} and {@code proxy_set_body} against stock nginx: what the upstream receives (method, request
 * line, headers, body, its {@code Content-Length} recomputed, the client's body not sent) and what the client gets,
 * with constant and variable values, inherited, for a client body of either framing, and a {@code HEAD} sent for a
 * {@code GET} and the reverse.
 */
class ProxyMethodBodyDifferentialTest {

    static TestBackend upstream;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestBackend.start();
        String locations = """
                location /post/ { proxy_pass UP; proxy_method POST; proxy_set_body "a=$arg_a&b=\u00e9t\u00e9"; }
                location /var/ { proxy_pass UP; proxy_method $arg_m; }
                location /head/ { proxy_pass UP; proxy_method HEAD; }
                location /get/ { proxy_pass UP; proxy_method GET; }
                location /body/ { proxy_pass UP; proxy_set_body "fixed body"; }
                location /empty/ { proxy_pass UP; proxy_set_body ""; }
                location /inh/ {
                    proxy_method PUT;
                    proxy_set_body "from $uri";
                    location /inh/in/ { proxy_pass UP; }
                    location /inh/own/ { proxy_pass UP; proxy_method PATCH; }
                }
                location /chunked/ { proxy_pass UP; proxy_set_body "instead"; }
                """.replace("UP", "http://" + upstream.hostPort());
        pair = SideBySide.start(port -> "server { listen 127.0.0.1:" + port + "; server_name localhost;\n"
                + locations + " }", Gateways.modules());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static final String[] REQUESTS = {
        "GET /post/x?a=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "POST /post/x?a=%20 HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nConnection: close\r\n\r\nclient",
        "GET /var/x?m=DELETE HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "GET /head/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "HEAD /head/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "HEAD /get/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "POST /get/x HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nConnection: close\r\n\r\nclient",
        "POST /body/x HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nConnection: close\r\n\r\nclient",
        "GET /body/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "GET /empty/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "GET /inh/in/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "DELETE /inh/own/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "POST /chunked/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "6\r\nclient\r\n0\r\n\r\n",
    };

    @Test
    void upstreamGetsWhatNginxSends() {
        List<String> diffs = new ArrayList<>();
        for (String request : REQUESTS) {
            String expected = exchange(pair.nginxPort(), request);
            String actual = exchange(pair.gatewayPort(), request);
            if (!expected.equals(actual)) {
                diffs.add(request + "\n   nginx:\n" + expected + "\n   jwtgate:\n" + actual);
            }
        }
        assertThat(diffs).as("exchanges that differ").isEmpty();
    }

    /** What the upstream received (request line, headers, body), then the client's answer. */
    private static String exchange(int port, String request) {
        String answer;
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            answer = SideBySide.masked(c.send(request.getBytes(StandardCharsets.ISO_8859_1))
                    .readResponse(request.startsWith("HEAD")));
        }
        RecordedRequest got = upstream.takeRequest(Duration.ofSeconds(5));
        assertThat(got).as("the upstream's request for " + request).isNotNull();
        StringBuilder sb = new StringBuilder(got.method() + " " + got.uri() + "\n");
        got.headers().entries().forEach(e -> sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        sb.append(new String(got.body(), StandardCharsets.ISO_8859_1)).append("\n---\n");
        return sb + answer.replaceAll("\"host\":\"[^\"]*\"", "");
    }
}
