package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.assertNoToken;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static io.jwtgate.jwt.Fixtures.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.module.HttpModule;
import io.jwtgate.map.MapModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A JWT-protected WebSocket location (the usual {@code map $http_upgrade} configuration): the token is checked once,
 * at the handshake; without one the client gets 401 and the upstream is never connected to, with one the upgrade
 * goes through and the tunnel carries bytes.
 */
class WebSocketJwtTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static final String HANDSHAKE = "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    static ServerSocket upstream;
    static final AtomicInteger upstreamConnections = new AtomicInteger();
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(WebSocketJwtTest::serve, "switching-upstream");
        t.setDaemon(true);
        t.start();
        String http = "map $http_upgrade $connection_upgrade { default upgrade; '' close; }";
        String server = """
                jwt_secret "%s";
                location /ws {
                    proxy_pass http://127.0.0.1:%d;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                }
                """.formatted(SECRET, upstream.getLocalPort());
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), http, server), () -> {
            List<HttpModule> l = new ArrayList<>(Fixtures.modules(clock).get());
            l.add(l.size() - 1, new MapModule());
            l.addAll(l.size() - 1, ProxyModules.create());
            return l;
        });
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
        upstream.close();
    }

    /** Answers each connection's head with a 101 and echoes what follows. */
    private static void serve() {
        while (!upstream.isClosed()) {
            try (Socket s = upstream.accept()) {
                upstreamConnections.incrementAndGet();
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                int matched = 0;
                while (matched < 4) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                }
                out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                in.transferTo(out);
            } catch (IOException e) {
                // closed by stop(), or the tunnel ended
            }
        }
    }

    @Test
    void noTokenIsRefusedBeforeAnyUpstreamConnection() throws Exception {
        int before = upstreamConnections.get();
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            assertNoToken(c.send(HANDSHAKE + "\r\n").readResponse());
        }
        Thread.sleep(200);
        assertThat(upstreamConnections.get()).isEqualTo(before);
    }

    @Test
    void aValidTokenUpgrades() throws Exception {
        int before = upstreamConnections.get();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gw.port())) {
            s.setSoTimeout(10_000);
            String token = hs256(SECRET, claims("alice", ""));
            s.getOutputStream().write((HANDSHAKE + bearer(token) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            InputStream in = s.getInputStream();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                assertThat(b).as("head so far: " + head).isNotNegative();
                head.append((char) b);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
            s.getOutputStream().write("frames".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("frames");
        }
        assertThat(upstreamConnections.get()).isEqualTo(before + 1);
    }
}
