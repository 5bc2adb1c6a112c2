package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code error_page} for the statuses the proxy produces, against stock nginx: 502 from an upstream that refuses the
 * connection, 504 from one that accepts and never answers, 413 from a body over {@code client_max_body_size}
 * (declared, or chunked and found out while it streams to the upstream), to an internal URI, a named location and a
 * URL; and a proxied error page, whose streamed answer takes the status and keeps the headers of the ending request.
 */
class ProxyErrorPageDifferentialTest {

    static final String SERVER = """
            server {
                listen 127.0.0.1:%1$d;
                location = /page { return 200 "page $request_method $uri\\n"; }
                location @named { return 200 "named $request_method $uri\\n"; }
                location /refused { error_page 502 /page; proxy_pass http://127.0.0.1:%2$d; }
                location /refused-named { error_page 502 =503 @named; proxy_pass http://127.0.0.1:%2$d; }
                location /refused-url { error_page 502 504 http://e.example/down; proxy_pass http://127.0.0.1:%2$d; }
                location /refused-plain { proxy_pass http://127.0.0.1:%2$d; }
                location /hang { proxy_read_timeout 1s; error_page 504 = /page; proxy_pass http://127.0.0.1:%3$d; }
                location = /from-backend { proxy_pass http://%4$s/b; }
                location /redirect-proxied { error_page 302 /from-backend; return 302 /x; }
                location /refused-proxied { error_page 502 = /from-backend; proxy_pass http://127.0.0.1:%2$d; }
                location /big { client_max_body_size 10; error_page 413 /page; proxy_pass http://127.0.0.1:%2$d; }
                location /big-chunked {
                    client_max_body_size 10;
                    error_page 413 /page;
                    proxy_http_version 1.1;
                    proxy_pass http://127.0.0.1:%3$d;
                }
            }
            """;

    static final String[][] REQUESTS = {
        {"GET /refused HTTP/1.1", "Host: a"},
        {"POST /refused HTTP/1.1", "Host: a", "Content-Length: 5", "", "abcde"},
        {"HEAD /refused HTTP/1.1", "Host: a"},
        {"GET /refused-named HTTP/1.1", "Host: a"},
        {"GET /refused-url HTTP/1.1", "Host: a"},
        {"GET /refused-plain HTTP/1.1", "Host: a"},
        {"GET /hang HTTP/1.1", "Host: a"},
        {"GET /redirect-proxied HTTP/1.1", "Host: a"},
        {"GET /refused-proxied HTTP/1.1", "Host: a"},
        {"POST /big HTTP/1.1", "Host: a", "Content-Length: 20", "", "0123456789abcdefghij"},
        {"POST /big-chunked HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "",
            "14\r\n0123456789abcdefghij\r\n0\r\n\r\n"},
    };

    static ServerSocket hanging;
    static TestBackend backend;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        int refused = TestGateway.freePort(); // nothing listens there
        hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // the kernel accepts, nobody answers
        backend = TestBackend.start().reply(Reply.status(200, "from backend").header("X-Backend", "b"));
        pair = SideBySide.start(port -> SERVER.formatted(port, refused, hanging.getLocalPort(), backend.hostPort()),
                () -> {
                    List<HttpModule> all = new ArrayList<>(CoreModules.create());
                    all.addAll(ProxyModules.create());
                    return all;
                });
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (pair != null) {
                pair.close();
            }
        } finally {
            hanging.close();
            backend.close();
        }
    }

    @Test
    void sameAnswersAsNginx() {
        List<String> diffs = new ArrayList<>();
        for (String[] r : REQUESTS) {
            String expected = answer(pair.nginxPort(), r);
            String actual = answer(pair.gatewayPort(), r);
            if (!expected.equals(actual)) {
                diffs.add(String.join(" | ", r) + "\n   nginx:\n" + expected + "\n   jwtgate:\n" + actual);
            }
        }
        assertThat(diffs).as("answers that differ").isEmpty();
    }

    /** One request on a fresh connection: the whole answer, masked, and whether the server closed after it. */
    private static String answer(int port, String[] request) {
        boolean hasBody = List.of(request).contains("");
        String raw = String.join("\r\n", request) + (hasBody ? "" : "\r\n\r\n");
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            RawResponse r = c.send(raw).readResponse(request[0].startsWith("HEAD"));
            return SideBySide.masked(r).replace(":" + port + "/", ":PORT/") + "\n[closed: "
                    + c.isClosedByPeer(Duration.ofMillis(300)) + "]";
        }
    }
}
