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
 * The request line a {@code proxy_pass} sends once the URI changed on the way (a rewrite, an internal redirect, a
 * named location, {@code set $args}), from stock nginx and from jwtgate: the same
 * (docs/proxy.md#directives). Before, jwtgate sent the client's target whatever had happened to the URI.
 */
class ProxyChangedUriDifferentialTest {

    static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII);

    static final String LOCATIONS = """
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
            location /asis/ { proxy_pass http://127.0.0.1:%1$d; }
            """;

    static final String[] TARGETS = {"/rw/a%20b?q=1", "/rw/plain/./x?x=1", "/rw/caf%C3%A9", "/rwargs/z?orig=1",
        "/rwkeep/k?drop=1", "/setargs/p?orig=1", "/redir/a?k=v", "/part/x?k=v", "/named/n%41b?k=v",
        "/asis/a%41/../b?k=v"};

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
    void sameRequestLineAsNginx() throws Exception {
        List<String> diffs = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (String target : TARGETS) {
            String expected = requestLine(pair.nginxPort(), target);
            String actual = requestLine(pair.gatewayPort(), target);
            all.append(expected).append('\n');
            if (!expected.equals(actual)) {
                diffs.add(target + "\n   nginx:   " + expected + "\n   jwtgate: " + actual);
            }
        }
        assertThat(diffs).as("request lines that differ").isEmpty();
        // what was compared is what the test means to cover: changed URIs sent as $uri, the rest as the client's
        assertThat(all).contains("GET /new/a%20b?q=1 HTTP/1.0", "GET /target/from-redirect HTTP/1.0",
                "GET /setargs/p?changed=1 HTTP/1.0", "GET /asis/a%41/../b?k=v HTTP/1.0");
    }

    /** Sends {@code GET target}; returns the request line the upstream received. */
    private static String requestLine(int port, String target) throws InterruptedException {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            int code = c.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().code();
            assertThat(code).as("GET " + target + " on " + port).isEqualTo(200);
        }
        String head = upstream.takeHead(Duration.ofSeconds(5));
        assertThat(head).as("the upstream got the request").isNotNull();
        return head.substring(0, head.indexOf("\r\n"));
    }
}
