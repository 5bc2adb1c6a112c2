package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What reaches the client of an upstream's headers, against stock nginx: nginx's hidden defaults,
 * {@code proxy_hide_header} and {@code proxy_pass_header} with their inheritance, {@code X-Accel-Redirect} (internal
 * redirect, named location, unsafe target, the headers kept, {@code proxy_ignore_headers X-Accel-Redirect}) and
 * {@code proxy_intercept_errors} with and without an {@code error_page}. The upstream answers each request with the
 * status and headers it asks for.
 */
class UpstreamHeadersDifferentialTest {

    static TestBackend upstream;
    static SideBySide pair;

    /** The headers every answer of the upstream carries in the hide and pass cases. */
    static final String[] ALL = {"X-Secret: s", "X-Other: o", "X-Pad: avoid browser bug", "X-Accel-Buffering: no",
        "X-Accel-Charset: utf-8", "X-Accel-Expires: 10", "X-Accel-Limit-Rate: 100000", "Content-Disposition: inline",
        "Set-Cookie: a=1", "Cache-Control: private", "Expires: Thu, 01 Jan 2026 00:00:00 GMT", "Accept-Ranges: bytes"};

    @BeforeAll
    static void start() throws Exception {
        upstream = TestBackend.start(AskedReplies.behaviour());
        String locations = """
                location /default/ { proxy_pass UP; }
                location /hide/ {
                    proxy_pass UP;
                    proxy_hide_header X-Secret;
                    proxy_hide_header content-length;
                    proxy_hide_header Content-Disposition;
                    proxy_hide_header X-SECRET;
                }
                location /pass/ {
                    proxy_pass UP;
                    proxy_pass_header X-Accel-Buffering;
                    proxy_pass_header x-pad;
                    proxy_pass_header X-Accel-Expires;
                    proxy_pass_header X-Accel-Charset;
                }
                location /both/ { proxy_pass UP; proxy_hide_header X-Secret; proxy_pass_header X-Secret; }
                location /inh/ {
                    proxy_hide_header X-Secret;
                    proxy_pass_header X-Pad;
                    location /inh/plain/ { proxy_pass UP; }
                    location /inh/hide/ { proxy_pass UP; proxy_hide_header X-Other; }
                    location /inh/pass/ { proxy_pass UP; proxy_pass_header X-Accel-Charset; }
                }
                location /server/ { proxy_pass UP; proxy_pass_header Server; proxy_pass_header date; }
                location /accel/ { proxy_pass UP; }
                location /accel-ignored/ { proxy_pass UP; proxy_ignore_headers X-Accel-Redirect; }
                location /internal/ { internal; return 200 "internal $uri $args $request_method\\n"; }
                location @named { return 200 "named $uri $request_method\\n"; }
                location /target/ {
                    proxy_pass UP;
                    proxy_set_header X-Reply "";
                    proxy_set_header X-Reply-Status "";
                }
                location /icpt/ {
                    proxy_pass UP;
                    proxy_intercept_errors on;
                    error_page 404 /internal/nf;
                    error_page 401 = @named;
                    error_page 500 502 =200 /internal/e;
                    error_page 301 http://example.com/moved;
                }
                location /no-icpt/ { proxy_pass UP; error_page 404 /internal/nf; }
                location /icpt-no-page/ { proxy_pass UP; proxy_intercept_errors on; }
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

    @Test
    void hiddenAndPassedAsNginx() {
        List<String> diffs = new ArrayList<>();
        for (String path : new String[] {"/default/x", "/hide/x", "/pass/x", "/both/x", "/inh/plain/x",
            "/inh/hide/x", "/inh/pass/x"}) {
            compare(diffs, "GET", path, ALL);
            compare(diffs, "HEAD", path, ALL);
        }
        assertThat(diffs).as("answers that differ").isEmpty();
    }

    /**
     * {@code proxy_pass_header Server} and {@code Date}: the upstream's replace the server's own. nginx writes them
     * where the upstream had them, jwtgate first (docs/proxy.md, Differs), so the lines are compared sorted.
     */
    @Test
    void upstreamServerAndDatePassedAsNginx() {
        String[] replies = {"Server: up/1", "X-Other: o", "Date: Thu, 01 Jan 2026 00:00:00 GMT"};
        List<String> expected = sortedHead(pair.nginxPort(), replies);
        assertThat(expected).contains("Server: up/1", "Date: Thu, 01 Jan 2026 00:00:00 GMT");
        assertThat(sortedHead(pair.gatewayPort(), replies)).isEqualTo(expected);
        // without an upstream Server or Date, the server's own are sent
        assertThat(RawHttpClient.get(pair.gatewayPort(), "/server/x").head())
                .containsPattern("Server: jwtgate/\\S+\r\n").containsPattern("Date: .* GMT\r\n");
    }

    private static List<String> sortedHead(int port, String... replies) {
        List<String> lines = new ArrayList<>();
        for (String r : replies) {
            lines.add("X-Reply: " + r);
        }
        return RawHttpClient.get(port, "/server/x", lines.toArray(new String[0])).head().lines().sorted().toList();
    }

    @Test
    void xAccelRedirectAsNginx() {
        String[] kept = {"Content-Type: application/pdf", "Set-Cookie: s=1", "Content-Disposition: attachment",
            "Cache-Control: private", "X-Other: o", "Expires: Thu, 01 Jan 2026 00:00:00 GMT", "Accept-Ranges: bytes",
            "ETag: \"e\""};
        List<String> diffs = new ArrayList<>();
        for (String target : new String[] {"/internal/a?b=c", "@named", "/target/t?q=1", "/internal/%41b%2F",
            "/internal/../x", "/internal/a/..", "@missing", "/internal/a?", "?x"}) {
            List<String> headers = new ArrayList<>(List.of(kept));
            headers.add("X-Accel-Redirect: " + target);
            String[] h = headers.toArray(new String[0]);
            compare(diffs, "GET", "/accel/x", h);
            compare(diffs, "HEAD", "/accel/x", h);
            if (!target.startsWith("/target/")) {
                // the body went to the first upstream: jwtgate streams it and cannot send it again
                compare(diffs, "POST", "/accel/x", h);
            }
            compare(diffs, "GET", "/accel-ignored/x", h);
        }
        assertThat(diffs).as("answers that differ").isEmpty();
    }

    @Test
    void interceptedErrorsAsNginx() {
        List<String> diffs = new ArrayList<>();
        for (String status : new String[] {"404", "401", "500", "502", "403", "301", "302", "200"}) {
            for (String path : new String[] {"/icpt/x", "/no-icpt/x", "/icpt-no-page/x"}) {
                compare(diffs, "GET", path, "X-Reply-Status: " + status, "WWW-Authenticate: Basic realm=\"up\"",
                        "X-Other: o", "Location: http://up.example/l");
            }
        }
        compare(diffs, "HEAD", "/icpt/x", "X-Reply-Status: 404");
        assertThat(diffs).as("answers that differ").isEmpty();
    }

    /**
     * Sends {@code method path} to both with the upstream asked to answer with {@code replies} ("Name: value", or
     * "X-Reply-Status: code").
     */
    private static void compare(List<String> diffs, String method, String path, String... replies) {
        String expected = answer(pair.nginxPort(), method, path, replies);
        String actual = answer(pair.gatewayPort(), method, path, replies);
        if (!expected.equals(actual)) {
            diffs.add(method + " " + path + " " + String.join(" | ", replies) + "\n   nginx:\n" + expected
                    + "\n   jwtgate:\n" + actual);
        }
    }

    private static String answer(int port, String method, String path, String... replies) {
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String r : replies) {
            req.append(r.startsWith("X-Reply-Status:") ? r : "X-Reply: " + r).append("\r\n");
        }
        req.append(method.equals("POST") ? "Content-Length: 4\r\n" : "").append("Connection: close\r\n\r\n")
                .append(method.equals("POST") ? "body" : "");
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            RawResponse r = c.send(req.toString()).readResponse(method.equals("HEAD"));
            String answer = SideBySide.masked(r);
            // the length of a page's signature, which the masking cannot fix without the page
            return method.equals("HEAD") && r.code() >= 400
                    ? answer.replaceFirst("Content-Length: [0-9]+", "Content-Length: *") : answer;
        }
    }
}
