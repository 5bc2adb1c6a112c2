package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same server blocks run by stock nginx and by jwtgate; every request must get the same status, body and
 * {@code Location} from both. Covers location selection, URI normalisation, server names, redirects and captures (of a
 * server name regex too: numbered until a location regex replaces them, named kept in their variables).
 */
class RoutingDifferentialTest {

    static final String SERVERS = """
            server {
                listen 127.0.0.1:%1$d default_server;
                server_name example.com;
                location = / { return 200 "exact-root"; }
                location / { return 200 "prefix-root $uri"; }
                location /documents/ { return 200 "documents $uri"; }
                location ^~ /images/ { return 200 "images"; }
                location ~* \\.(gif|jpg|jpeg)$ { return 200 "regex-img"; }
                location ~ ^/cap/(\\w+)/(\\d+)$ { return 200 "cap $1 $2"; }
                location /a/ {
                    location /a/b/ { return 200 "nested-ab"; }
                    location ~ \\.php$ { return 200 "nested-php"; }
                    return 200 "a";
                }
                location /r/ { return 302 /elsewhere; }
                location /full { return 301 https://other.example/x; }
                location /status { return 418; }
                location /args { return 200 "args=$args a=$arg_a b=$arg_b"; }
                location /hdr { return 200 "ua=$http_user_agent x=$http_x_custom_header"; }
            }
            server {
                listen 127.0.0.1:%1$d;
                server_name *.wild.test;
                location / { return 200 "wild-head $host"; }
            }
            server {
                listen 127.0.0.1:%1$d;
                server_name www.tail.*;
                location / { return 200 "wild-tail"; }
            }
            server {
                listen 127.0.0.1:%1$d;
                server_name ~^(?<sub>[a-z]+)\\.re\\.test$;
                location / { return 200 "regex-server $1 $sub"; }
            }
            server {
                listen 127.0.0.1:%1$d;
                server_name ~^(?<sub>[a-z]+)\\.(\\w+)\\.cap\\.test$;
                location /p { return 200 "prefix $sub $1 $2"; }
                location ~ ^/num(\\d+) { return 200 "num $sub $1 [$2]"; }
                location ~ ^/named(?<sub>\\d+) { return 200 "named $sub $1"; }
                location ~ ^/none { return 200 "none $sub [$1]"; }
                location /if { if ($uri ~ ^/i(f)) { return 200 "if $sub $1 [$2]"; } }
            }
            server {
                listen 127.0.0.1:%1$d;
                server_name ~^(?<sub>[a-z]+)\\.srv\\.test$;
                return 200 "server-level $sub $1";
            }
            server {
                listen 127.0.0.1:%1$d;
                server_name exact.wild.test;
                location / { return 200 "exact-beats-wildcard"; }
            }
            """;

    static final String[][] REQUESTS = {
        {"/", "example.com"}, {"/index.html", "example.com"}, {"/documents/doc.html", "example.com"},
        {"/documents/1.jpg", "example.com"}, {"/images/1.gif", "example.com"}, {"/IMAGES/1.GIF", "example.com"},
        {"/cap/abc/42", "example.com"}, {"/cap/abc/x", "example.com"}, {"/a/", "example.com"},
        {"/a/b/c", "example.com"}, {"/a/x.php", "example.com"}, {"/a/b/x.php", "example.com"},
        {"/a/../documents/x", "example.com"}, {"/%61/b/", "example.com"}, {"//documents//x", "example.com"},
        {"/documents/./x/../y", "example.com"}, {"/../x", "example.com"}, {"/%zz", "example.com"},
        {"/r/x", "example.com"}, {"/full", "example.com"}, {"/status", "example.com"},
        {"/args?a=1&b=two&a=3", "example.com"}, {"/args", "example.com"}, {"/args?B=up", "example.com"},
        {"/x", "foo.wild.test"}, {"/x", "a.b.wild.test"}, {"/x", "exact.wild.test"}, {"/x", "www.tail.org"},
        {"/x", "abc.re.test"}, {"/x", "ABC.RE.TEST"}, {"/x", "unknown.test"}, {"/x", "example.com."},
        {"/x", "example.com:8080"}, {"/documents", "example.com"},
        {"/p", "ab.c1.cap.test"}, {"/num7", "ab.c1.cap.test"}, {"/named42", "ab.c1.cap.test"},
        {"/none", "ab.c1.cap.test"}, {"/if", "ab.c1.cap.test"}, {"/x", "xy.srv.test"},
    };

    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(SERVERS::formatted, CoreModules::create);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void sameAnswersAsNginx() {
        List<String> diffs = new ArrayList<>();
        int ok = 0;
        for (String[] r : REQUESTS) {
            RawResponse expected = get(pair.nginxPort(), r[0], r[1]);
            RawResponse actual = get(pair.gatewayPort(), r[0], r[1]);
            ok += expected.code() == 200 ? 1 : 0;
            String e = describe(expected, pair.nginxPort());
            String a = describe(actual, pair.gatewayPort());
            if (!e.equals(a)) {
                diffs.add(r[1] + r[0] + "\n   nginx:   " + e + "\n   jwtgate: " + a);
            }
        }
        assertThat(ok).as("requests nginx answered with 200 (not all rejected alike)").isGreaterThan(20);
        assertThat(diffs).as("requests answered differently").isEmpty();
    }

    /** {@code GET path} with {@code host} as the only Host header ({@code RawHttpClient.get} adds its own). */
    private static RawResponse get(int port, String path, String host) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nUser-Agent: t/1\r\nX-Custom-Header: v\r\nConnection: close\r\n\r\n").readResponse();
        }
    }

    /** Status, Location (port normalised) and, for 2xx, the body; error pages differ only in their signature. */
    private static String describe(RawResponse r, int port) {
        String location = r.header("Location");
        if (location != null) {
            location = location.replace(":" + port, ":PORT");
        }
        String body = r.code() < 300 ? r.bodyString() : "";
        return r.code() + " " + location + " " + body;
    }
}
