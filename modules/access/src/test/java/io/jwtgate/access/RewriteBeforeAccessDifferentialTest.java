package io.jwtgate.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nginx's phase order with stock nginx side by side: the rewrite module runs before access control, so a
 * {@code return} (or a {@code rewrite ... last} to an open location) in a {@code deny all} location answers, while
 * {@code break} and {@code set} leave the request to the denial.
 */
class RewriteBeforeAccessDifferentialTest {

    static final String SERVER = """
            server {
                listen 127.0.0.1:%d;
                location /ret { deny all; return 200 "returned"; }
                location /retif { deny all; if ($arg_x) { return 200 "if-returned"; } }
                location /set { deny all; set $a 1; }
                location /rw { deny all; rewrite ^ /open last; }
                location /rwbreak { deny all; rewrite ^ /open break; }
                location /redir { deny all; rewrite ^ /open redirect; }
                location /open { return 200 "open $uri"; }
                location /srv/ {
                    deny all;
                    location /srv/in { return 200 "nested"; }
                }
            }
            """;

    static final String[] REQUESTS = {"/ret", "/retif?x=1", "/retif", "/set", "/rw", "/rwbreak", "/redir",
        "/srv/in", "/srv/other"};

    @Test
    void rewriteRunsBeforeAccess() throws Exception {
        try (SideBySide pair = SideBySide.start(SERVER::formatted, AccessModuleTest.MODULES)) {
            List<String> diffs = new ArrayList<>();
            int returned = 0;
            for (String path : REQUESTS) {
                String e = describe(get(pair.nginxPort(), path), pair.nginxPort());
                String a = describe(get(pair.gatewayPort(), path), pair.gatewayPort());
                returned += e.startsWith("200") ? 1 : 0;
                if (!e.equals(a)) {
                    diffs.add(path + "\n   nginx:   " + e + "\n   jwtgate: " + a);
                }
            }
            assertThat(returned).as("requests nginx answered past deny").isEqualTo(4);
            assertThat(diffs).as("requests answered differently").isEmpty();
        }
    }

    private static RawResponse get(int port, String path) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n").readResponse();
        }
    }

    private static String describe(RawResponse r, int port) {
        String location = r.header("Location");
        return r.code() + " " + (location == null ? null : location.replace(":" + port, ":PORT")) + " "
                + (r.code() < 300 ? r.bodyString() : "");
    }
}
