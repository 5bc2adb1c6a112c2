package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code error_page} and {@code recursive_error_pages} against stock nginx, byte for byte: each form (URL, internal
 * URI, named location, {@code =}, {@code =code}), how the lists inherit (and in an {@code if} of a location), which
 * endings they catch ({@code return} with and without text, redirects, unknown paths, {@code internal}), chains
 * with recursion off and on, the cycle's 500, HEAD and a request body, and malformed requests (400, 414, 494) that
 * the default server's error pages answer.
 */
class ErrorPageDifferentialTest {

    static final String HTTP = """
            error_page 410 http://http-level.example/gone;
            server {
                listen 127.0.0.1:%1$d;
                error_page 404 http://server-level.example/404;
                error_page 400 414 494 /bad;
                location = /bad { return 200 "bad $uri $request_method\n"; }
                location /url { error_page 404 http://e.example/x?y=1; return 404; }
                location /url301 { error_page 404 =301 http://e.example/x; return 404; }
                location /url308 { error_page 404 =308 http://e.example/x; return 404; }
                location /url200 { error_page 404 =200 http://e.example/x; return 404; }
                location /urlvar { error_page 404 403 $scheme://e.example$uri?a=$arg_a; return 403; }
                location /url-text { error_page 404 http://e.example/x; return 404 "text"; }
                location /url-redirect { error_page 301 302 http://e.example/r; return 302 /elsewhere; }
                location /url-redirect-absolute { error_page 301 http://e.example/r; return 301 https://o.example/; }
                location /url-500 { error_page 500 http://e.example/500; return 500; }
                location /url-413 { error_page 413 =301 http://e.example/413; return 413; }
                location /replaced { error_page 403 http://e.example/403; return 404; }
                location /inherited { return 404; }
                location /gone { return 410; }
                location /internal { internal; }
                location /not-relative { error_page 404 relative/page; return 404; }
                location /first-wins { error_page 404 http://first.example/; error_page 404 http://second.example/;
                                       return 404; }
                location = /page { return 200 "page $request_method $uri $args\n"; }
                location @named { return 200 "named $request_method $uri $args\n"; }
                location @twice { return 200 "first of two\n"; }
                location @twice { return 200 "second of two\n"; }
                location /twice { error_page 404 @twice; return 404; }
                location = /ok { return 200; }
                location = /redirect-there { return 301 /x; }
                location /uri { error_page 404 /page?from=uri; return 404; }
                location /urieq { error_page 404 = /page; return 404; }
                location /uri200 { error_page 404 =200 /page; return 404; }
                location /uri302 { error_page 404 =302 /page; return 404; }
                location /uri204 { error_page 404 =204 /page; return 404; }
                location /urivar { error_page 404 /page?u=$uri; return 404; }
                location /named { error_page 404 @named; return 404; }
                location /namedeq { error_page 404 = @named; return 404; }
                location /nonamed { error_page 404 @nowhere; return 404; }
                location /uri-text { error_page 404 /page; return 404 "text"; }
                location /uri-redirect { error_page 302 /page; return 302 /elsewhere; }
                location /uri-ok { error_page 404 /ok; return 404; }
                location /uri-internal { error_page 404 /internal; return 404; }
                location /uri-redirects { error_page 404 /redirect-there; return 404; }
                location /uri-413 { error_page 413 /page; return 413; }
                location /chain-off { error_page 404 /missing; return 404; }
                location /chain-on { recursive_error_pages on; error_page 404 /missing; return 404; }
                location /loop { recursive_error_pages on; error_page 404 /loop2; return 404; }
                location /loop2 { recursive_error_pages on; error_page 404 /loop; return 404; }
                location /cycle-500 {
                    recursive_error_pages on; error_page 404 /loop; error_page 500 /page; return 404;
                }
                location /if {
                    error_page 404 http://e.example/outside;
                    if ($arg_x) { error_page 404 /page?in=if; }
                    if ($arg_y) { error_page 403 @named; return 403; }
                    return 404;
                }
                location /nested {
                    error_page 403 http://e.example/outer;
                    location /nested/inner { return 403; }
                    location /nested/own { error_page 404 http://e.example/own; return 403; }
                }
            }
            server {
                listen 127.0.0.1:%1$d;
                server_name other;
                location /gone { return 410; }
            }
            """;

    static final String[][] REQUESTS = {
        {"GET /url HTTP/1.1", "Host: a"},
        {"GET /url301 HTTP/1.1", "Host: a"},
        {"GET /url308 HTTP/1.1", "Host: a"},
        {"GET /url200 HTTP/1.1", "Host: a"},
        {"GET /urlvar/p?a=b HTTP/1.1", "Host: a"},
        {"GET /url-text HTTP/1.1", "Host: a"},
        {"GET /url-redirect HTTP/1.1", "Host: a"},
        {"GET /url-redirect-absolute HTTP/1.1", "Host: a"},
        {"GET /url-500 HTTP/1.1", "Host: a"},
        {"GET /url-413 HTTP/1.1", "Host: a"},
        {"GET /replaced HTTP/1.1", "Host: a"},
        {"GET /inherited HTTP/1.1", "Host: a"},
        {"GET /gone HTTP/1.1", "Host: a"},
        {"GET /gone HTTP/1.1", "Host: other"},
        {"GET /internal HTTP/1.1", "Host: a"},
        {"GET /unknown HTTP/1.1", "Host: a"},
        {"GET /unknown HTTP/1.1", "Host: other"},
        {"GET /not-relative HTTP/1.1", "Host: a"},
        {"GET /first-wins HTTP/1.1", "Host: a"},
        {"GET /nested/inner HTTP/1.1", "Host: a"},
        {"GET /nested/own HTTP/1.1", "Host: a"},
        {"GET /uri?a=1 HTTP/1.1", "Host: a"},
        {"GET /urieq HTTP/1.1", "Host: a"},
        {"GET /uri200 HTTP/1.1", "Host: a"},
        {"GET /uri302 HTTP/1.1", "Host: a"},
        {"GET /uri204 HTTP/1.1", "Host: a"},
        {"GET /urivar/x HTTP/1.1", "Host: a"},
        {"GET /named?a=1 HTTP/1.1", "Host: a"},
        {"GET /namedeq HTTP/1.1", "Host: a"},
        {"GET /twice HTTP/1.1", "Host: a"},
        {"GET /nonamed HTTP/1.1", "Host: a"},
        {"GET /uri-text HTTP/1.1", "Host: a"},
        {"GET /uri-redirect HTTP/1.1", "Host: a"},
        {"GET /uri-ok HTTP/1.1", "Host: a"},
        {"GET /uri-internal HTTP/1.1", "Host: a"},
        {"GET /uri-redirects HTTP/1.1", "Host: a"},
        {"GET /uri-413 HTTP/1.1", "Host: a"},
        {"GET /chain-off HTTP/1.1", "Host: a"},
        {"GET /chain-on HTTP/1.1", "Host: a"},
        {"GET /loop HTTP/1.1", "Host: a"},
        {"GET /cycle-500 HTTP/1.1", "Host: a"},
        {"GET /if HTTP/1.1", "Host: a"},
        {"GET /if?x=1 HTTP/1.1", "Host: a"},
        {"GET /if?y=1 HTTP/1.1", "Host: a"},
        {"HEAD /uri HTTP/1.1", "Host: a"},
        {"HEAD /named HTTP/1.1", "Host: a"},
        {"POST /uri HTTP/1.1", "Host: a", "Content-Length: 5", "Connection: close", "", "abcde"},
        {"POST /named HTTP/1.1", "Host: a", "Content-Length: 5", "Connection: close", "", "abcde"},
        {"PUT /urieq HTTP/1.1", "Host: a", "Content-Length: 0"},
        {"HEAD /url HTTP/1.1", "Host: a"},
        {"GET /x HTTP/1.1", "Host: a/b"},
        {"POST /x HTTP/1.1", "Host: a", "Host: b", "Content-Length: 0"},
        {"GET /x HTTP/1.1", "Host: a", "X-Long: " + "a".repeat(9000)},
        {"GET /" + "a".repeat(9000) + " HTTP/1.1", "Host: a"},
        {"GET /url HTTP/1.0"},
        {"POST /url HTTP/1.1", "Host: a", "Content-Length: 5", "", "abcde"},
    };

    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(HTTP::formatted, CoreModules::create);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void sameAnswersAsNginx() {
        assertThat(differences(pair, REQUESTS)).as("answers that differ").isEmpty();
    }

    @Test
    void theBodyOfARequestSentToAnErrorPageIsDiscardedAndTheConnectionKept() {
        String pipelined = "POST /uri HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde"
                + "GET /page HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        List<String> answers = new ArrayList<>();
        for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
            try (RawHttpClient c = RawHttpClient.connect(port)) {
                c.send(pipelined);
                answers.add(SideBySide.masked(c.readResponse()) + SideBySide.masked(c.readResponse()));
            }
        }
        assertThat(answers.get(1)).isEqualTo(answers.get(0)).contains("page GET /page from=uri")
                .contains("page GET /page \n");
    }

    /** The requests whose whole answers differ between nginx and jwtgate, with both answers. */
    static List<String> differences(SideBySide pair, String[][] requests) {
        List<String> diffs = new ArrayList<>();
        for (String[] r : requests) {
            String expected = exchange(pair.nginxPort(), r);
            String actual = exchange(pair.gatewayPort(), r);
            if (!expected.equals(actual)) {
                diffs.add(String.join(" | ", r) + "\n   nginx:\n" + expected + "\n   jwtgate:\n" + actual);
            }
        }
        return diffs;
    }

    /**
     * Sends one request on a fresh connection and returns the whole answer, {@linkplain SideBySide#masked(RawResponse)
     * masked}, the port in {@code Location} too, and whether the server closed the connection after it.
     */
    static String exchange(int port, String[] request) {
        boolean hasBody = List.of(request).contains("");
        String raw = String.join("\r\n", request) + (hasBody ? "" : "\r\n\r\n");
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            boolean head = request[0].startsWith("HEAD");
            RawResponse r = c.send(raw).readResponse(head);
            String masked = SideBySide.masked(r);
            String server = r.header("Server");
            if (head && server.startsWith("nginx/") && "text/html".equals(r.header("Content-Type"))) {
                // a page's length without its body to mask: each signs it with its Server value
                masked = masked.replace("Content-Length: " + r.header("Content-Length"), "Content-Length: "
                        + (Long.parseLong(r.header("Content-Length")) - server.length()
                                + SideBySide.jwtgateServer(server).length()));
            }
            return masked.replace(":" + port + "/", ":PORT/") + "\n[closed: "
                    + c.isClosedByPeer(Duration.ofMillis(300)) + "]";
        }
    }
}
