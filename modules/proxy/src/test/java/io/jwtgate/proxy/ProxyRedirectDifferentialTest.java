package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy_redirect} against stock nginx: the implicit {@code default} (with and without a URI part, in nested
 * locations), {@code default} among explicit pairs, pairs with variables, regular expressions with captures and
 * {@code ~*}, {@code off}, inheritance, on {@code Location} (made absolute when rewritten to a path) and on the URL
 * of {@code Refresh}. The upstream answers each request with the headers it asks for.
 */
class ProxyRedirectDifferentialTest {

    static TestBackend upstream;
    static SideBySide pair;
    static String up;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestBackend.start(AskedReplies.behaviour());
        up = "http://" + upstream.hostPort();
        String locations = """
                location /d/ { proxy_pass UP/remote/; }
                location /n/ { proxy_pass UP; }
                location /off/ { proxy_pass UP/remote/; proxy_redirect off; }
                location /pairs/ {
                    proxy_pass UP/;
                    proxy_redirect http://upstream.example/a/ /x/;
                    proxy_redirect http://other/ http://$host:$server_port/o/;
                    proxy_redirect $http_x_from /from-var/;
                    proxy_redirect / /rel/;
                }
                location /re/ {
                    proxy_pass UP/;
                    proxy_redirect ~^http://([^/]+)/cap/(.*)$ https://$1/got/$2;
                    proxy_redirect ~*^HTTP://CASE/ /case/;
                }
                location /def/ { proxy_pass UP/r/; proxy_redirect default; proxy_redirect http://x/ /y/; }
                location /inh/ {
                    proxy_redirect http://inh/ /inherited/;
                    location /inh/in/ { proxy_pass UP/; }
                    location /inh/off/ { proxy_pass UP/; proxy_redirect off; }
                }
                location /parent/ {
                    proxy_pass UP/p/;
                    location /parent/child/ { proxy_pass UP/c/; }
                }
                location ~ ^/regex/ { proxy_pass UP; }
                location /if/ { if ($arg_a) { proxy_pass UP; } proxy_pass UP/i/; }
                """.replace("UP", up);
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

    /** Path, then the Location values the upstream answers with. */
    static final String[][] LOCATIONS = {
        {"/d/x", "UP/remote/y", "UP/other", "/remote/rel", "UP/remote/", "UP/REMOTE/y"},
        {"/n/x", "UP/foo", "UP", "http://elsewhere/foo"},
        {"/off/x", "UP/remote/y"},
        {"/pairs/x", "http://upstream.example/a/b?c=d", "http://other/q", "/w", "http://var.example/v",
            "UP/nothing"},
        {"/re/x", "http://h.example/cap/deep/er", "http://case/z", "http://h.example/nocap"},
        {"/def/x", "UP/r/q", "http://x/q"},
        {"/inh/in/x", "http://inh/q", "UP/q"},
        {"/inh/off/x", "http://inh/q"},
        {"/parent/child/x", "UP/p/q", "UP/c/q"},
        {"/regex/x", "UP/q"},
        {"/if/x?a=1", "UP/q", "UP/i/q"},
        {"/if/x", "UP/i/q"},
    };

    @Test
    void locationRewrittenAsNginx() {
        List<String> diffs = new ArrayList<>();
        int rewritten = 0;
        for (String[] c : LOCATIONS) {
            for (int i = 1; i < c.length; i++) {
                String sent = c[i].replace("UP", up);
                String expected = answer(pair.nginxPort(), c[0], "X-Reply: Location: " + sent);
                String actual = answer(pair.gatewayPort(), c[0], "X-Reply: Location: " + sent);
                if (!expected.contains("Location: " + sent + "\r\n")) {
                    rewritten++;
                }
                if (!expected.equals(actual)) {
                    diffs.add(c[0] + " Location: " + sent + "\n   nginx:\n" + expected + "\n   jwtgate:\n" + actual);
                }
            }
        }
        assertThat(diffs).as("answers that differ").isEmpty();
        assertThat(rewritten).as("cases nginx rewrote").isGreaterThan(10);
    }

    @Test
    void refreshRewrittenAsNginx() {
        String[][] cases = {
            {"/d/x", "5; url=UP/remote/z"},
            {"/d/x", "0;URL=UP/remote/"},
            {"/d/x", "UP/remote/no-url-part"},
            {"/re/x", "1; Url=http://h.example/cap/r"},
            {"/off/x", "5; url=UP/remote/z"},
        };
        List<String> diffs = new ArrayList<>();
        for (String[] c : cases) {
            String sent = c[1].replace("UP", up);
            String expected = answer(pair.nginxPort(), c[0], "X-Reply: Refresh: " + sent);
            String actual = answer(pair.gatewayPort(), c[0], "X-Reply: Refresh: " + sent);
            if (!expected.equals(actual)) {
                diffs.add(c[0] + " Refresh: " + sent + "\n   nginx:\n" + expected + "\n   jwtgate:\n" + actual);
            }
        }
        assertThat(diffs).as("answers that differ").isEmpty();
    }

    /** The masked answer to a 302 with the given upstream header, the listen port written as PORT. */
    private static String answer(int port, String path, String replyHeader) {
        String raw = SideBySide.masked(RawHttpClient.get(port, path, "X-Reply-Status: 302", replyHeader,
                "X-From: http://var.example/"));
        return raw.replace(":" + port + "/", ":PORT/");
    }
}
