package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.http.Product;
import io.jwtgate.core.http.Transport;
import io.jwtgate.testing.SideBySide;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The variables over the wire ({@code $request_length}, {@code $bytes_sent}, {@code $connection*},
 * {@code $sent_http_*}, {@code $sent_trailer_*}, {@code $request_id}, {@code $nginx_version}, {@code $tcpinfo_*}) in
 * the access logs of stock nginx and jwtgate for the same requests on one kept-alive connection.
 */
class WireVariablesDifferentialTest {

    static final String CONFIG = """
            log_format w '$request_length~$bytes_sent~$connection_requests~$connection~$request_id~'
                         '$connection_time~'
                         '$tcpinfo_rtt~$tcpinfo_rcv_space~'
                         '[$sent_http_content_type|$sent_http_connection|$sent_http_x_a|$sent_http_cache_control|'
                         '$sent_http_content_length|$sent_trailer_x|$sent_http_server|$sent_http_date|'
                         '$sent_http_keep_alive]';
            server {
                listen 127.0.0.1:%2$d;
                access_log %1$s/access-%2$d.log w;
                location / {
                    add_header X-A one;
                    add_header Cache-Control a;
                    add_header Cache-Control b;
                    return 200 "fine";
                }
                location /v { return 200 "$nginx_version $request_id $request_id"; }
                location /missing { return 404 "gone"; }
            }
            """;

    static final String REQUESTS = "GET / HTTP/1.1\nHost: a\nX-Pad: " + "p".repeat(100) + "\n\n"
            + "GET /missing?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"
            + "HEAD / HTTP/1.1\r\nHost: a\r\nUser-Agent: t\r\n\r\n"
            + "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

    @Test
    void logLinesAsNginx() throws Exception {
        Path dir = Files.createTempDirectory("wire-vars");
        try (SideBySide pair = SideBySide.start(port -> CONFIG.formatted(dir, port), CoreModules::create)) {
            int nginxBytes = exchange(pair.nginxPort(), REQUESTS);
            int gatewayBytes = exchange(pair.gatewayPort(), REQUESTS);
            List<String[]> nginx = fields(dir, pair.nginxPort(), 4);
            List<String[]> gateway = fields(dir, pair.gatewayPort(), 4);
            assertThat(gateway).hasSize(4);
            assertThat(nginx).hasSize(4);
            long nginxSent = 0;
            long gatewaySent = 0;
            for (int i = 0; i < 4; i++) {
                String[] n = nginx.get(i);
                String[] g = gateway.get(i);
                assertThat(g[0]).as("$request_length of request %d", i).isEqualTo(n[0]);
                assertThat(g[2]).as("$connection_requests").isEqualTo(n[2]).isEqualTo(Integer.toString(i + 1));
                assertThat(g[3]).as("$connection: the same on one connection").matches("[1-9][0-9]*")
                        .isEqualTo(gateway.get(0)[3]);
                assertThat(g[4]).as("$request_id").matches("[0-9a-f]{32}")
                        .isNotEqualTo(i > 0 ? gateway.get(0)[4] : "");
                assertThat(g[5]).as("$connection_time").matches("[0-9]+\\.[0-9]{3}");
                if (Transport.detect().isEpoll()) {
                    assertThat(g[6]).as("$tcpinfo_rtt").matches("[0-9]+");
                    assertThat(g[7]).as("$tcpinfo_rcv_space").matches("[1-9][0-9]*");
                } else {
                    assertThat(g[6] + g[7]).isEqualTo("--");
                }
                assertThat(g[8]).as("$sent_http_* of request %d", i).isEqualTo(n[8]);
                nginxSent += Long.parseLong(n[1]);
                gatewaySent += Long.parseLong(g[1]);
            }
            assertThat(nginx.get(0)[0]).isEqualTo(Integer.toString(REQUESTS.indexOf("GET /missing")));
            assertThat(nginx.get(0)[8]).isEqualTo("[text/plain|close|one|a, b|4|-|-|-|-]");
            // $bytes_sent of each request adds up to what the client received
            assertThat(nginxSent).isEqualTo(nginxBytes);
            assertThat(gatewaySent).isEqualTo(gatewayBytes);
            assertThat(exchange(pair.gatewayPort(), "GET /v HTTP/1.0\r\n\r\n")).isPositive();
        }
    }

    @Test
    void nginxVersionIsJwtgatesAndRequestIdOncePerRequest() throws Exception {
        Path dir = Files.createTempDirectory("wire-vars");
        try (SideBySide pair = SideBySide.start(port -> CONFIG.formatted(dir, port), CoreModules::create)) {
            String body = body(pair.gatewayPort());
            String[] f = body.split(" ");
            assertThat(Product.VERSION).isNotEqualTo("unknown");
            assertThat(f[0]).isEqualTo(Product.VERSION);
            assertThat(f[1]).matches("[0-9a-f]{32}").isEqualTo(f[2]);
            assertThat(body(pair.gatewayPort()).split(" ")[1]).isNotEqualTo(f[1]);
            assertThat(body(pair.nginxPort())).matches("1\\.22\\.[0-9]+ ([0-9a-f]{32}) \\1");
        }
    }

    private static String body(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /v HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return r.substring(r.indexOf("\r\n\r\n") + 4);
        }
    }

    /** Sends {@code requests} on one connection and reads until the server closes: the bytes received. */
    private static int exchange(int port, String requests) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            return s.getInputStream().readAllBytes().length;
        }
    }

    private static List<String[]> fields(Path dir, int port, int count) throws Exception {
        Path log = dir.resolve("access-" + port + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                List<String[]> out = new ArrayList<>();
                for (String line : lines) {
                    out.add(line.split("~"));
                }
                return out;
            }
            Thread.sleep(20);
        }
    }
}
