package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy_pass} and the {@code if} pseudo-location, side by side with stock nginx: {@code proxy_pass} inside
 * {@code if}, a location's {@code proxy_pass} inherited by its {@code if} block, and a {@code return} after the
 * block, which still answers (the rewrite phase runs before content). A URI part in {@code proxy_pass} inside
 * {@code if} is refused with nginx's message.
 */
class IfProxyDifferentialTest {

    static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nupstream"
            .getBytes(StandardCharsets.US_ASCII);

    static final String LOCATIONS = """
            location /inside/ { if ($arg_up) { proxy_pass http://127.0.0.1:%1$d; } }
            location /inherit/ {
                proxy_pass http://127.0.0.1:%1$d;
                if ($arg_h) { add_header X-If yes; }
            }
            location /after/ {
                if ($arg_up) { proxy_pass http://127.0.0.1:%1$d; }
                return 200 "local";
            }
            """;

    static final String[] TARGETS = {"/inside/a?up=1", "/inside/a", "/inherit/b", "/inherit/b?h=1",
        "/after/c?up=1", "/after/c"};

    @Test
    void sameAnswersAsNginx() throws Exception {
        try (FixedUpstream upstream = FixedUpstream.start(ANSWER)) {
            String locations = LOCATIONS.formatted(upstream.port());
            try (SideBySide pair = SideBySide.start(port -> "server { listen 127.0.0.1:" + port + ";\n" + locations
                    + "}", Gateways.modules())) {
                List<String> diffs = new ArrayList<>();
                int proxied = 0;
                for (String target : TARGETS) {
                    String e = describe(get(pair.nginxPort(), target));
                    String a = describe(get(pair.gatewayPort(), target));
                    proxied += e.contains("upstream") ? 1 : 0;
                    if (!e.equals(a)) {
                        diffs.add(target + "\n   nginx:   " + e + "\n   jwtgate: " + a);
                    }
                }
                assertThat(proxied).as("requests nginx proxied").isEqualTo(3);
                assertThat(diffs).as("requests answered differently").isEmpty();
            }
        }
    }

    @Test
    void uriPartInsideIfIsRefused() throws Exception {
        ConfException e = Gateways.error("", "location /x/ {\n if ($arg_a) {\n  proxy_pass http://127.0.0.1:1/u;\n"
                + " }\n}");
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo("\"proxy_pass\" cannot have URI part in location given by regular "
                + "expression, or inside named location, or inside \"if\" statement, or inside \"limit_except\" "
                + "block");
    }

    private static RawResponse get(int port, String target) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send("GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readResponse();
        }
    }

    private static String describe(RawResponse r) {
        return r.code() + " X-If=" + r.header("X-If") + " " + (r.code() < 300 ? r.bodyString() : "");
    }
}
