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
 * {@code proxy_cookie_domain}, {@code proxy_cookie_path} and {@code proxy_cookie_flags} against stock nginx: domains
 * with and without a leading dot, in any case, with variables and as a (caseless) regex; paths as prefixes,
 * {@code ~} and {@code ~*} regexes with captures; {@code proxy_cookie_flags} by name and by regex, with variables,
 * added, changed and taken off; several rules, {@code off}, inheritance; cookies written again as nginx writes them.
 */
class ProxyCookieDifferentialTest {

    static TestBackend upstream;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestBackend.start(AskedReplies.behaviour());
        String locations = """
                proxy_cookie_domain .backend.internal .example.com;
                location /srv/ { proxy_pass UP; }
                location /both/ {
                    proxy_pass UP;
                    proxy_cookie_domain ~^(\\w+)\\.up\\.internal$ $1.example.com;
                    proxy_cookie_domain localhost $host;
                    proxy_cookie_path /one/ /;
                    proxy_cookie_path ~^/two/(.*)$ /2/$1;
                    proxy_cookie_path ~*^/THREE/ /3/;
                }
                location /off/ { proxy_pass UP; proxy_cookie_domain off; proxy_cookie_path /one/ /1/; }
                location /flags/ {
                    proxy_pass UP;
                    proxy_cookie_domain off;
                    proxy_cookie_flags A secure httponly samesite=strict;
                    proxy_cookie_flags ~^b nosecure nohttponly nosamesite;
                    proxy_cookie_flags c $arg_f samesite=lax bogus;
                    proxy_cookie_flags ~^[deh] samesite=none samesite=lax;
                }
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

    static final String[] COOKIES = {
        "a=1; Domain=backend.internal; Path=/one/x",
        "b=2;domain=.BACKEND.internal ;  path = /two/deep ; HttpOnly;Secure",
        "c=3; Domain=api.up.internal; Path=/three/x",
        "d=4; Domain=localhost; path=/Three/",
        "e=5; Domain=other.internal; Path=/elsewhere",
        "f; Domain=backend.internal",
        "g=7; Domain; Path",
        "h=8; SameSite=Lax; Domain=sub.backend.internal",
        "b=9; SECURE; HttpOnly; samesite=Lax; Path=/",
        "a=10; Secure; SameSite=strict",
        "c=11",
    };

    @Test
    void setCookieRewrittenAsNginx() {
        List<String> diffs = new ArrayList<>();
        int rewritten = 0;
        for (String path : new String[] {"/srv/x", "/both/x", "/off/x", "/flags/x", "/flags/x?f=secure",
            "/flags/x?f=SECURE"}) {
            for (String cookie : COOKIES) {
                String expected = answer(pair.nginxPort(), path, cookie);
                String actual = answer(pair.gatewayPort(), path, cookie);
                rewritten += expected.contains("Set-Cookie: " + cookie + "\r\n") ? 0 : 1;
                if (!expected.equals(actual)) {
                    diffs.add(path + " Set-Cookie: " + cookie + "\n   nginx:\n" + expected + "\n   jwtgate:\n"
                            + actual);
                }
            }
        }
        assertThat(diffs).as("answers that differ").isEmpty();
        assertThat(rewritten).as("cookies nginx rewrote").isGreaterThan(5);
    }

    private static String answer(int port, String path, String cookie) {
        return SideBySide.masked(RawHttpClient.get(port, path, "X-Reply: Set-Cookie: " + cookie));
    }
}
