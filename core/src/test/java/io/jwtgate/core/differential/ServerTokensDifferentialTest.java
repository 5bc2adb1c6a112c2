package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.http.Product;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server_tokens} at each level: the {@code Server} header and the error pages' signature carry the version
 * where nginx's carry nginx's, and the name alone where nginx's have {@code nginx} alone; a request refused before
 * routing is signed as its address's default server says.
 */
class ServerTokensDifferentialTest {

    static final String SERVERS = """
            server_tokens off;
            server {
                listen 127.0.0.1:%1$d;
                location / { return 404; }
                location /on { server_tokens on; return 200 "text"; }
                location /build { server_tokens build; return 403; }
                location /redirect { server_tokens on; return 302 /elsewhere; }
            }
            server {
                listen 127.0.0.1:%1$d;
                server_name tokens;
                server_tokens on;
                location / { return 502; }
                location /off { server_tokens off; return 500; }
            }
            """;

    static final String[][] REQUESTS = {
        {"/", "a"}, {"/on", "a"}, {"/build", "a"}, {"/redirect", "a"}, {"/", "tokens"}, {"/off", "tokens"},
    };

    @Test
    void serverHeaderAndPagesAsNginx() throws Exception {
        List<String> diffs = new ArrayList<>();
        List<String> nginxServers = new ArrayList<>();
        try (SideBySide pair = SideBySide.start(SERVERS::formatted, CoreModules::create)) {
            for (String[] r : REQUESTS) {
                RawResponse nginx = get(pair.nginxPort(), r[0], r[1]);
                RawResponse jwtgate = get(pair.gatewayPort(), r[0], r[1]);
                nginxServers.add(nginx.header("Server"));
                String n = SideBySide.masked(nginx).replace(":" + pair.nginxPort() + "/", ":PORT/");
                String g = SideBySide.masked(jwtgate).replace(":" + pair.gatewayPort() + "/", ":PORT/");
                if (!jwtgate.header("Server").equals(SideBySide.jwtgateServer(nginx.header("Server")))
                        || !g.equals(n)) {
                    diffs.add(r[1] + r[0] + ": nginx\n" + SideBySide.masked(nginx) + "\njwtgate\n"
                            + SideBySide.masked(jwtgate));
                }
            }
            // refused before routing (an invalid Host): the default server's setting
            String bad = "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n";
            try (RawHttpClient n = RawHttpClient.connect(pair.nginxPort());
                    RawHttpClient g = RawHttpClient.connect(pair.gatewayPort())) {
                RawResponse nginx = n.send(bad).readResponse();
                RawResponse jwtgate = g.send(bad).readResponse();
                assertThat(nginx.header("Server")).isEqualTo("nginx");
                assertThat(jwtgate.header("Server")).isEqualTo(Product.NAME);
                assertThat(SideBySide.masked(jwtgate)).isEqualTo(SideBySide.masked(nginx));
            }
        }
        assertThat(diffs).isEmpty();
        assertThat(nginxServers).as("nginx's, with and without its version")
                .filteredOn(s -> s.equals("nginx")).hasSize(2);
        assertThat(nginxServers).filteredOn(s -> s.startsWith("nginx/")).hasSize(4);
    }

    private static RawResponse get(int port, String path, String host) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .readResponse();
        }
    }

    @Test
    void badValueRefusedAsNginx(@TempDir Path dir) throws Exception {
        NginxConfigCheck.assertSameError(dir, "events { }\nhttp {\n    server_tokens maybe;\n}\n",
                CoreModules::create);
    }
}
