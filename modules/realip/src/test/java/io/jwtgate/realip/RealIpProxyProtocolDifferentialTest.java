package io.jwtgate.realip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code real_ip_header proxy_protocol} end to end against stock nginx: a {@code listen ... proxy_protocol}, PROXY
 * protocol v1 and v2 headers from the test client (on 127.0.0.1, a trusted balancer or not), and the response that
 * echoes {@code $remote_addr}, {@code $binary_remote_addr}, {@code $remote_port}, the realip and the PROXY protocol
 * variables, byte for byte.
 */
class RealIpProxyProtocolDifferentialTest {

    static final String CONFIG = """
            server {
                listen 127.0.0.1:%d proxy_protocol;
                error_page 404 = /echo;
                location = /echo {
            return 200 "$remote_addr $binary_remote_addr [$remote_port] $realip_remote_addr [$realip_remote_port] \
            $proxy_protocol_addr [$proxy_protocol_port]";
                }
                location /trusted { set_real_ip_from 127.0.0.1; real_ip_header proxy_protocol; }
                location /untrusted { set_real_ip_from 192.0.2.1; real_ip_header proxy_protocol; }
                location /x-real-ip { set_real_ip_from 127.0.0.1; }
            }
            """;

    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(CONFIG::formatted, RealIpDifferentialTest.MODULES);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY TCP4 203.0.113.7 127.0.0.1 51234 80\r\n",
        "PROXY TCP6 2001:DB8:0:0::1 ::1 443 80\r\n",
        "PROXY TCP4 001.2.3.4 127.0.0.1 0 80\r\n",
        "PROXY TCP4 abc 127.0.0.1 1 2\r\n",
        "PROXY TCP6 1.2.3.4 ::1 7 8\r\n",
        "PROXY UNKNOWN\r\n",
    })
    void v1AsNginx(String header) {
        byte[] bytes = header.getBytes(StandardCharsets.ISO_8859_1);
        for (String path : List.of("/trusted", "/untrusted")) {
            String expected = exchange(pair.nginxPort(), bytes, path);
            assertThat(exchange(pair.gatewayPort(), bytes, path)).as(path + " " + header).isEqualTo(expected);
        }
    }

    @Test
    void trustedBalancerGivesTheHeadersClient() {
        String expected = exchange(pair.nginxPort(), v2(new byte[] {(byte) 198, 51, 100, 9}, 4444), "/trusted");
        assertThat(expected).contains("\n198.51.100.9 ").contains("[4444] 127.0.0.1 [PEER] 198.51.100.9 [4444]");
        assertThat(exchange(pair.gatewayPort(), v2(new byte[] {(byte) 198, 51, 100, 9}, 4444), "/trusted"))
                .isEqualTo(expected);
    }

    @Test
    void v2Ipv6AsNginx() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 198, 51, 100, 9};
        String expected = exchange(pair.nginxPort(), v2(mapped, 9), "/trusted");
        assertThat(expected).contains("\n::ffff:198.51.100.9 ");
        assertThat(exchange(pair.gatewayPort(), v2(mapped, 9), "/trusted")).isEqualTo(expected);
    }

    /** With the default {@code real_ip_header X-Real-IP} the PROXY protocol header does not count. */
    @Test
    void otherHeaderTypesIgnoreIt() {
        byte[] header = "PROXY TCP4 203.0.113.7 127.0.0.1 51234 80\r\n".getBytes(StandardCharsets.ISO_8859_1);
        String expected = exchange(pair.nginxPort(), header, "/x-real-ip", "X-Real-IP: 1.2.3.4\r\n");
        assertThat(expected).contains("\n1.2.3.4 ");
        assertThat(exchange(pair.gatewayPort(), header, "/x-real-ip", "X-Real-IP: 1.2.3.4\r\n")).isEqualTo(expected);
    }

    /** The header comes once per connection; each request on it takes its address again. */
    @Test
    void everyRequestOfTheConnectionTakesIt() {
        byte[] header = "PROXY TCP4 203.0.113.7 127.0.0.1 51234 80\r\n".getBytes(StandardCharsets.ISO_8859_1);
        List<String> expected = keepAlive(pair.nginxPort(), header);
        assertThat(expected).allMatch(r -> r.contains("\n203.0.113.7 "));
        assertThat(keepAlive(pair.gatewayPort(), header)).isEqualTo(expected);
    }

    private static List<String> keepAlive(int port, byte[] header) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            String peer = Integer.toString(c.localPort());
            c.send(header);
            String first = masked(c.send("GET /trusted HTTP/1.1\r\nHost: a\r\n\r\n").readResponse(), peer);
            String second = masked(c.send("GET /trusted HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .readResponse(), peer);
            return List.of(first, second);
        }
    }

    /** A v2 PROXY command over TCP from {@code source}:{@code port} (IPv4 or IPv6) to the same family's loopback. */
    private static byte[] v2(byte[] source, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'\r', '\n', '\r', '\n', 0, '\r', '\n', 'Q', 'U', 'I', 'T', '\n', 0x21});
        boolean v4 = source.length == 4;
        out.write(v4 ? 0x11 : 0x21);
        int length = source.length * 2 + 4;
        out.write(length >> 8);
        out.write(length);
        out.writeBytes(source);
        byte[] loopback = new byte[source.length];
        loopback[0] = v4 ? (byte) 127 : 0;
        loopback[source.length - 1] = 1;
        out.writeBytes(loopback);
        out.write(port >> 8);
        out.write(port);
        out.write(0);
        out.write(80);
        return out.toByteArray();
    }

    private static String exchange(int port, byte[] header, String path, String... headerLines) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            // one write, as a balancer sends it: the header must come whole in the first read
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(header);
            out.writeBytes(("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + String.join("", headerLines)
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return masked(c.send(out.toByteArray()).readResponse(), Integer.toString(c.localPort()));
        }
    }

    private static String masked(RawResponse r, String peer) {
        return SideBySide.masked(r).replace("[" + peer + "]", "[PEER]");
    }
}
