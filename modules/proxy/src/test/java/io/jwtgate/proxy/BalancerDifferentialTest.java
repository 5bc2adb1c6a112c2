package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The peers stock nginx and jwtgate choose, for the same upstream blocks over the same backends: {@code hash} and
 * {@code hash ... consistent} for many keys (also with a server down and one refusing connections, which makes
 * the key rehash), {@code ip_hash} for clients connecting from different loopback addresses, {@code least_conn}
 * with a slow backend, {@code max_conns} while a slow backend holds connections, {@code random} staying within its
 * servers. The peers tried show in {@code $upstream_addr}.
 */
class BalancerDifferentialTest {

    static final String HTTP = """
            upstream h { hash $arg_x; server %2$s; server %3$s weight=2; server %4$s; server %5$s; }
            upstream ch { hash $arg_x consistent; server %2$s; server %3$s weight=2; server %4$s; server %5$s; }
            upstream hd {
                zone hd 64k;
                hash $arg_x;
                server %2$s; server 127.0.0.1:%6$d; server %4$s down; server %5$s;
            }
            upstream chd {
                zone chd 64k;
                hash $arg_x consistent;
                server %2$s; server 127.0.0.1:%6$d; server %4$s down; server %5$s;
            }
            upstream ip { ip_hash; server %2$s; server %3$s; server %4$s weight=3; server %5$s; }
            upstream lc { least_conn; server %7$s weight=2; server %2$s; server %3$s; }
            upstream rnd { random two least_conn; server %2$s; server %3$s; }
            upstream mc { server %7$s max_conns=1; server %2$s max_conns=2; }
            upstream mc1 { server %7$s max_conns=1; }
            server {
                listen 127.0.0.1:%1$d;
                add_header X-Addr $upstream_addr always;
                location /h { proxy_pass http://h; }
                location /ch { proxy_pass http://ch; }
                location /hd { proxy_pass http://hd; }
                location /chd { proxy_pass http://chd; }
                location /ip { proxy_pass http://ip; }
                location /lc { proxy_pass http://lc; }
                location /rnd { proxy_pass http://rnd; }
                location /mc { proxy_pass http://mc; }
                location /mc1 { proxy_pass http://mc1; }
            }
            """;

    static final List<TestBackend> backends = new ArrayList<>();
    static TestBackend slow;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < 4; i++) {
            backends.add(TestBackend.start().reply(Reply.status(200, "b" + i)));
        }
        slow = TestBackend.start().reply(Reply.delay(Duration.ofMillis(1500), Reply.status(200, "slow")));
        int refused = TestGateway.freePort(); // nothing listens there
        IntFunction<String> http = port -> HTTP.formatted(port, backends.get(0).hostPort(),
                backends.get(1).hostPort(), backends.get(2).hostPort(), backends.get(3).hostPort(), refused,
                slow.hostPort());
        pair = SideBySide.start(http, Gateways.modules());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        for (TestBackend b : backends) {
            b.close();
        }
        if (slow != null) {
            slow.close();
        }
    }

    /** The {@code $upstream_addr} of each key's request to {@code location}, on one side. */
    private static List<String> addrs(int port, String location, int keys) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            RawResponse r = RawHttpClient.get(port, location + "?x=key" + k * 7919);
            out.add(r.code() + " " + r.header("X-Addr"));
        }
        return out;
    }

    @Test
    void hashChoosesAsNginx() {
        List<String> nginx = addrs(pair.nginxPort(), "/h", 60);
        assertThat(addrs(pair.gatewayPort(), "/h", 60)).containsExactlyElementsOf(nginx);
        assertThat(nginx.stream().distinct().count()).as("the keys spread over the servers").isEqualTo(4);
    }

    @Test
    void consistentHashChoosesAsNginx() {
        List<String> nginx = addrs(pair.nginxPort(), "/ch", 60);
        assertThat(addrs(pair.gatewayPort(), "/ch", 60)).containsExactlyElementsOf(nginx);
        assertThat(nginx.stream().distinct().count()).as("the keys spread over the servers").isEqualTo(4);
    }

    @Test
    void hashRehashesPastDownAndFailedServersAsNginx() {
        for (String location : new String[] {"/hd", "/chd"}) {
            List<String> nginx = addrs(pair.nginxPort(), location, 40);
            assertThat(addrs(pair.gatewayPort(), location, 40)).as(location).containsExactlyElementsOf(nginx);
            assertThat(nginx).as("one key met the refusing server").anyMatch(a -> a.contains(", "));
        }
    }

    @Test
    void ipHashChoosesAsNginx() throws IOException {
        List<String> nginx = new ArrayList<>();
        List<String> gateway = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // the third octet varies (ip_hash reads the first three), the fourth must not matter
            String from = "127.0." + (i * 37 % 256) + "." + (1 + i % 3);
            nginx.add(addrFrom(from, pair.nginxPort(), "/ip"));
            gateway.add(addrFrom(from, pair.gatewayPort(), "/ip"));
        }
        assertThat(gateway).containsExactlyElementsOf(nginx);
        assertThat(nginx.stream().distinct().count()).as("the clients spread over the servers").isEqualTo(4);
    }

    @Test
    void leastConnAvoidsTheBusyServerAsNginx() throws Exception {
        assertThat(leastConn(pair.gatewayPort())).containsExactlyElementsOf(leastConn(pair.nginxPort()));
    }

    /** Requests while one to the slow server is in flight, then the slow one's own answer. */
    private static List<String> leastConn(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawHttpClient held = RawHttpClient.connect(port)) {
            held.send("GET /lc HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread.sleep(300);
            for (int i = 0; i < 5; i++) {
                RawResponse r = RawHttpClient.get(port, "/lc");
                out.add(r.code() + " " + r.header("X-Addr"));
            }
            RawResponse first = held.readResponse();
            out.add(first.code() + " " + first.header("X-Addr") + " " + first.bodyString());
        }
        return out;
    }

    @Test
    void maxConnsSkipsABusyServerAsNginx() throws Exception {
        for (String location : new String[] {"/mc", "/mc1"}) {
            assertThat(held(pair.gatewayPort(), location, 3)).as(location)
                    .containsExactlyElementsOf(held(pair.nginxPort(), location, 3));
        }
    }

    /**
     * {@code n} requests to {@code location} on connections held open at once (each waits for the slow server or
     * is answered at once), then each one's answer.
     */
    private static List<String> held(int port, String location, int n) throws Exception {
        List<RawHttpClient> clients = new ArrayList<>();
        List<String> out = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                RawHttpClient c = RawHttpClient.connect(port);
                clients.add(c);
                c.send("GET " + location + " HTTP/1.1\r\nHost: a\r\n\r\n");
                Thread.sleep(200);
            }
            for (RawHttpClient c : clients) {
                RawResponse r = c.readResponse();
                out.add(r.code() + " " + r.header("X-Addr"));
            }
        } finally {
            clients.forEach(RawHttpClient::close);
        }
        return out;
    }

    @Test
    void randomStaysWithinItsServers() {
        List<String> expected = List.of("200 " + backends.get(0).hostPort(), "200 " + backends.get(1).hostPort());
        for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
            List<String> seen = addrs(port, "/rnd", 30);
            assertThat(seen).allMatch(expected::contains);
        }
    }

    /** One request from local address {@code from}; its {@code $upstream_addr}. */
    private static String addrFrom(String from, int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: a\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int at = text.indexOf("\r\nX-Addr: ");
            return text.substring(0, 12) + (at < 0 ? "" : text.substring(at + 10, text.indexOf('\r', at + 10)));
        }
    }
}
