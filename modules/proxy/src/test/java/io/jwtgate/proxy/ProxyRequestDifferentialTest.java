package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request head an upstream receives, from stock nginx and from jwtgate, for the same client request: byte for
 * byte the same. Covers nginx's default and configured proxy headers, hop-by-hop removal, repeated headers, odd
 * case, raw non-ASCII bytes, URI rewriting by {@code proxy_pass}, HTTP/1.1 upstreams and header names nginx
 * takes as invalid (dropped by default, passed with {@code underscores_in_headers on} or
 * {@code ignore_invalid_headers off}).
 */
class ProxyRequestDifferentialTest {

    static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII);

    static final String LOCATIONS = """
            location /default/ { proxy_pass http://127.0.0.1:%1$d; }
            location /set/ {
                proxy_set_header Host $host;
                proxy_set_header X-Real-IP $remote_addr;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_set_header User-Agent "";
                proxy_set_header X-Uri "$uri?$args";
                proxy_pass http://127.0.0.1:%1$d/other/;
            }
            location /v11/ {
                proxy_http_version 1.1;
                proxy_set_header Connection "";
                proxy_pass http://127.0.0.1:%1$d;
            }
            location /noheaders/ {
                proxy_pass_request_headers off;
                proxy_pass http://127.0.0.1:%1$d;
            }
            location /rw/ { rewrite ^/rw/(.*)$ /new/$1 break; proxy_pass http://127.0.0.1:%1$d; }
            location /rwargs/ { rewrite ^ /fixed?added=1 break; proxy_pass http://127.0.0.1:%1$d; }
            location /rwkeep/ { rewrite ^/rwkeep/(.*)$ /kept/$1? break; proxy_pass http://127.0.0.1:%1$d; }
            location /setargs/ { set $args "changed=1"; proxy_pass http://127.0.0.1:%1$d; }
            location /redir/ { error_page 404 = /target/from-redirect; return 404; }
            location /target/ { proxy_pass http://127.0.0.1:%1$d; }
            location /part/ { error_page 404 = /withpart/a%%20b; return 404; }
            location /withpart/ { proxy_pass http://127.0.0.1:%1$d/remote/; }
            location /named/ { error_page 404 = @named; return 404; }
            location @named { proxy_pass http://127.0.0.1:%1$d; }
            """;

    /**
     * Header lines every request carries besides Host: repeated, odd case, hop-by-hop, raw UTF-8, and names nginx
     * calls invalid next to a valid one they would be mistaken for.
     */
    static final String HEADERS = "User-Agent: t/1\r\n"
            + "X-User: alice\r\n"
            + "X_User: admin\r\n"
            + "X.User: dot\r\n"
            + "x-lower: v\r\n"
            + "X-Dup: 1\r\n"
            + "Connection: keep-alive, X-Hop\r\n"
            + "X-Dup: 2\r\n"
            + "Keep-Alive: 5\r\n"
            + "TE: trailers\r\n"
            + "Upgrade: foo\r\n"
            + "X-Forwarded-For: 192.0.2.7\r\n"
            + "X-Name: " + new String("Jos\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
            + "\r\n"
            + "Accept: */*\r\n";

    static final String[] TARGETS = {"/default/a?x=1&y=%20z", "/default/%7Euser/./b/../c", "/set/deep/path?q=1",
        "/v11/a", "/noheaders/a"};

    static FixedUpstream upstream;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        upstream = FixedUpstream.start(ANSWER);
        String locations = LOCATIONS.formatted(upstream.port());
        pair = SideBySide.start(port -> "server { listen 127.0.0.1:" + port + ";\n" + locations + "}",
                Gateways.modules());
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
    void sameRequestHeadAsNginx() throws Exception {
        StringBuilder all = compare(pair);
        // what was compared is what the test means to cover
        assertThat(all).contains("GET /other/deep/path?q=1 HTTP/1.0\r\n", "X-Forwarded-For: 192.0.2.7, 127.0.0.1\r\n",
                "X-Dup: 1\r\n", "X-Dup: 2\r\n", "GET /v11/a HTTP/1.1\r\n", "X-Name: Jos\u00c3\u00a9\r\n",
                "X-User: alice\r\n").doesNotContain("X_User", "X.User");
    }

    @Test
    void invalidHeaderNamesForwardedWhenAllowedAsByNginx() throws Exception {
        String locations = LOCATIONS.formatted(upstream.port());
        for (String directive : new String[] {"underscores_in_headers on;", "ignore_invalid_headers off;"}) {
            try (SideBySide allowing = SideBySide.start(port -> directive + "\nserver { listen 127.0.0.1:" + port
                    + ";\n" + locations + "}", Gateways.modules())) {
                StringBuilder all = compare(allowing);
                assertThat(all).as(directive).contains("X-User: alice\r\n", "X_User: admin\r\n");
                if (directive.startsWith("underscores")) {
                    assertThat(all).as(directive).doesNotContain("X.User");
                } else {
                    assertThat(all).as(directive).contains("X.User: dot\r\n");
                }
            }
        }
    }

    /**
     * The request line a {@code proxy_pass} sends once the URI changed on the way (a rewrite, {@code set $args}, an
     * internal redirect, a named location): {@code $uri} and {@code $args}, escaped when internal, as nginx; the
     * client's target while nothing changed it (docs/proxy.md#directives).
     */
    @Test
    void sameRequestLineAfterTheUriChanged() throws Exception {
        List<String> diffs = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (String target : new String[] {"/rw/a%20b?q=1", "/rw/plain/./x?x=1", "/rw/caf%C3%A9", "/rwargs/z?orig=1",
            "/rwkeep/k?drop=1", "/setargs/p?orig=1", "/redir/a?k=v", "/part/x?k=v", "/named/n%41b?k=v",
            "/default/a%41/../b?k=v"}) {
            String expected = firstLine(forwarded(pair.nginxPort(), target));
            String actual = firstLine(forwarded(pair.gatewayPort(), target));
            all.append(expected).append('\n');
            if (!expected.equals(actual)) {
                diffs.add(target + "\n   nginx:   " + expected + "\n   jwtgate: " + actual);
            }
        }
        assertThat(diffs).as("request lines that differ").isEmpty();
        assertThat(all).contains("GET /new/a%20b?q=1 HTTP/1.0", "GET /target/from-redirect HTTP/1.0",
                "GET /setargs/p?changed=1 HTTP/1.0", "GET /default/a%41/../b?k=v HTTP/1.0");
    }

    private static String firstLine(String head) {
        return head.substring(0, head.indexOf("\r\n"));
    }

    /** Sends every target to both; fails on a difference; returns all that nginx's upstream received. */
    private static StringBuilder compare(SideBySide pair) throws InterruptedException {
        List<String> diffs = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (String target : TARGETS) {
            String expected = forwarded(pair.nginxPort(), target);
            String actual = forwarded(pair.gatewayPort(), target);
            all.append(expected);
            if (!expected.equals(actual)) {
                diffs.add(target + "\n   nginx:\n" + expected + "   jwtgate:\n" + actual);
            }
        }
        assertThat(diffs).as("request heads that differ").isEmpty();
        return all;
    }

    /** Sends {@code GET target} through the proxy on {@code port}; returns the head the upstream received. */
    private static String forwarded(int port, String target) throws InterruptedException {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            int code = c.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n" + HEADERS + "\r\n").readResponse().code();
            assertThat(code).as("GET " + target + " on " + port).isEqualTo(200);
        }
        String head = upstream.takeHead(Duration.ofSeconds(5));
        assertThat(head).as("the upstream got the request").isNotNull();
        return head;
    }
}
