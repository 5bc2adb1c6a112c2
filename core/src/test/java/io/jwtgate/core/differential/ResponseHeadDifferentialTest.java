package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The header block of jwtgate's own responses, line for line against stock nginx's for the same server block:
 * names spelt and ordered as nginx's header filter writes them, the same values, except the {@code Server} product
 * and the {@code Date}.
 */
class ResponseHeadDifferentialTest {

    static final String SERVER = """
            server {
                listen 127.0.0.1:%1$d;
                keepalive_timeout 60 45;
                location /text { return 200 "hello"; }
                location /redirect { return 302 /elsewhere; }
                location /teapot { return 418; }
                location /added {
                    add_header X-First one;
                    add_header cache-control no-store always;
                    add_header X-Last last;
                    return 200 "added";
                }
                location /missing-added {
                    add_header X-Always yes always;
                    return 404;
                }
                location /empty { return 204; }
                location /absolute { return 301 https://other.example/x; }
                location /dir/ { return 200 "dir"; }
                location /ka3 { keepalive_requests 3; return 200 "ka"; }
                location /kat { keepalive_time 1s; return 200 "kt"; }
                location = /silent/408 { return 408; }
                location = /silent/444 { return 444; }
                location = /silent/499 { return 499; }
            %2$s
            }
            """;

    /** {@code return <code>;} alone: nginx's status line, its page or an empty body of the default type, or none. */
    static final int[] CODES = {200, 201, 203, 206, 300, 301, 302, 303, 305, 307, 308, 400, 401, 402, 403, 405, 407,
        409, 413, 414, 415, 416, 418, 421, 422, 429, 451, 494, 495, 496, 497, 498, 500, 501, 502, 503, 504, 505, 506,
        507, 508, 599};

    static final String[][] REQUESTS = {
        {"GET /text HTTP/1.1", "Host: a"},
        {"GET /text HTTP/1.0"},
        {"GET /text HTTP/1.1", "Host: a", "Connection: close"},
        {"HEAD /text HTTP/1.1", "Host: a"},
        {"GET /redirect HTTP/1.1", "Host: a"},
        {"GET /teapot HTTP/1.1", "Host: a"},
        {"GET /added HTTP/1.1", "Host: a"},
        {"GET /missing-added HTTP/1.1", "Host: a"},
        {"GET /empty HTTP/1.1", "Host: a"},
        {"GET /nowhere HTTP/1.1", "Host: a"},
        {"GET /text HTTP/1.1"},
        {"GET /absolute HTTP/1.1", "Host: a"},
        {"GET /dir HTTP/1.1", "Host: a"},
        {"GET /dir?x=1 HTTP/1.1", "Host: a"},
        {"GET /text HTTP/1.1", "Host: a", "X-Long: " + "a".repeat(9000)},
        {"GET /text HTTP/1.1", "Host: a", "X-1: " + "a".repeat(8000), "X-2: " + "a".repeat(8000),
            "X-3: " + "a".repeat(8000), "X-4: " + "a".repeat(8000), "X-5: " + "a".repeat(8000)},
        {"GET /" + "a".repeat(9000) + " HTTP/1.1", "Host: a"},
        {"GET /text HTTP/1.1", "Host: a", "Bad Header: x"},
        {"GET /text HTTP/2.0", "Host: a"},
        {"GET /text HTTP/1.1", "Host: a", "Transfer-Encoding: gzip"},
        {"GET /text HTTP/1.0", "Connection: keep-alive"},
        {"POST /text HTTP/1.1", "Host: a", "Content-Length: 0"},
        {"OPTIONS /text HTTP/1.1", "Host: a"},
        {"FOO /text HTTP/1.1", "Host: a"},
        {"get /text HTTP/1.1", "Host: a"},
        {"GET /../x HTTP/1.1", "Host: a"},
        {"GET /text?%zz HTTP/1.1", "Host: a"},
        {"GET http://b/text HTTP/1.1", "Host: a"},
        {"GET /text HTTP/1.1", "Host: a", "Content-Length: abc"},
        {"GET /text HTTP/1.1", "Host: a", "Content-Length: 0", "Transfer-Encoding: chunked"},
        {"GET /text HTTP/1.1", "Host: a/b"},
        {"GET /text HTTP/1.1", "Host: a", "Host: b"},
        {"GET /text HTTP/1.1", "Host:"},
        {"GET /text HTTP/1.1", "Host: a", " folded: x"},
        {"GET /text HTTP/1.1", "Host: a", "X_Under: x"},
    };

    static String config(int port) {
        StringBuilder codes = new StringBuilder();
        for (int code : CODES) {
            codes.append("location = /code/").append(code).append(" { return ").append(code).append("; }\n");
        }
        return SERVER.formatted(port, codes);
    }

    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(ResponseHeadDifferentialTest::config, CoreModules::create);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void sameHeaderLinesAsNginx() {
        List<String[]> requests = new ArrayList<>(List.of(REQUESTS));
        for (int code : CODES) {
            requests.add(new String[] {"GET /code/" + code + " HTTP/1.1", "Host: a"});
        }
        List<String> diffs = new ArrayList<>();
        for (String[] r : requests) {
            String expected = head(pair.nginxPort(), r);
            String actual = head(pair.gatewayPort(), r);
            if (!expected.equals(actual)) {
                diffs.add(String.join(" | ", r) + "\n   nginx:\n" + expected + "\n   jwtgate:\n" + actual);
            }
        }
        assertThat(diffs).as("response heads that differ").isEmpty();
    }

    @Test
    void keepaliveRequestsAndTimeEndConnectionsLikeNginx() throws Exception {
        for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
            try (RawHttpClient c = RawHttpClient.connect(port)) {
                for (int i = 1; i <= 3; i++) {
                    RawResponse r = c.send("GET /ka3 HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                    assertThat(r.header("Connection")).as("request %d on %d", i, port)
                            .isEqualTo(i < 3 ? "keep-alive" : "close");
                }
                assertThat(c.isClosedByPeer()).isTrue();
            }
            try (RawHttpClient c = RawHttpClient.connect(port)) {
                assertThat(c.send("GET /kat HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().header("Connection"))
                        .isEqualTo("keep-alive");
                Thread.sleep(1200);
                assertThat(c.send("GET /kat HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().header("Connection"))
                        .as("after keepalive_time on %d", port).isEqualTo("close");
            }
        }
    }

    @Test
    void closesWithoutAnswerLikeNginx() throws Exception {
        for (String code : new String[] {"408", "444", "499"}) {
            assertThat(silentlyClosed(pair.nginxPort(), code)).as("nginx, return " + code).isTrue();
            assertThat(silentlyClosed(pair.gatewayPort(), code)).as("jwtgate, return " + code).isTrue();
        }
    }

    /** Whether the server closes the connection after the request without sending a byte. */
    private static boolean silentlyClosed(int port, String code) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /silent/" + code + " HTTP/1.1\r\nHost: a\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return s.getInputStream().readAllBytes().length == 0;
        }
    }

    /** The whole response, {@linkplain SideBySide#masked(RawResponse) masked}, the port in {@code Location} too. */
    private static String head(int port, String[] request) {
        String raw = String.join("\r\n", request) + "\r\n\r\n";
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            RawResponse r = c.send(raw).readResponse(request[0].startsWith("HEAD"));
            return SideBySide.masked(r).replace(":" + port + "/", ":PORT/");
        }
    }
}
