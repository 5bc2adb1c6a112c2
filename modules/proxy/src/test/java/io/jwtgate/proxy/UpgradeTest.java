package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.Openssl;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of an upgrade through {@code proxy_pass}, on raw sockets: what nginx does when the upstream refuses
 * (side by side), an upstream that switches protocols unasked (502, where nginx would relay the 101 as a response),
 * bytes on either side of the 101 head, either end closing the tunnel, the idle timeout, and a TLS client side.
 */
class UpgradeTest {

    static final String SWITCH = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n";
    static final String UPGRADE_REQUEST = "GET /t HTTP/1.1\r\nHost: a\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n";
    static final String LOCATION = """
            location /t {
                proxy_pass http://127.0.0.1:%d;
                proxy_http_version 1.1;
                proxy_set_header Upgrade $http_upgrade;
                proxy_set_header Connection upgrade;
                proxy_read_timeout %s;
            }
            """;

    /** New-protocol bytes a client sends with its request, before the 101: what would also read as a request line. */
    static final String EARLY = "early\r\n\r\n";

    @TempDir
    Path dir;

    @Test
    void refusalsAndTheRequestsAfterThemAsNginx() throws Exception {
        for (String refusal : new String[] {
            "HTTP/1.1 426 Upgrade Required\r\nUpgrade: test\r\nContent-Length: 4\r\n\r\nnope",
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\n\r\nbad"}) {
            try (FixedUpstream upstream = FixedUpstream.start(refusal.getBytes(StandardCharsets.US_ASCII));
                    SideBySide pair = SideBySide.start(port -> "server { listen 127.0.0.1:" + port + ";\n"
                            + LOCATION.formatted(upstream.port(), "10s") + "}", Gateways.modules())) {
                // the upgrade request and a second request in one write: the second is HTTP again after the refusal
                String twice = UPGRADE_REQUEST + "GET /t HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
                String nginx = twoAnswers(pair.nginxPort(), twice);
                assertThat(nginx).contains(refusal.substring(9, 12)).doesNotContain("101");
                assertThat(twoAnswers(pair.gatewayPort(), twice)).isEqualTo(nginx);
            }
        }
    }

    private static String twoAnswers(int port, String requests) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            c.send(requests);
            return SideBySide.masked(c.readResponse()) + "\n---\n" + SideBySide.masked(c.readResponse());
        }
    }

    /**
     * What the client receives, to the end of the connection, as nginx: an HTTP/1.0 client, an HTTP/1.0 request
     * upstream, and 101 answers that are invalid or odd (a header line without a colon, a {@code Content-Length}).
     */
    @Test
    void http10AndOddSwitchesAsNginx() throws Exception {
        String http10 = "GET /t HTTP/1.0\r\nHost: a\r\nUpgrade: test\r\n\r\n"; // an error answer closes
        String[][] cases = {
            {SWITCH + "after", http10},
            {SWITCH + "after", UPGRADE_REQUEST.replace("/t", "/t10")},
            {"HTTP/1.1 101 Switching Protocols\r\nContent-Length: 2\r\n\r\nafter", UPGRADE_REQUEST},
            {"HTTP/1.1 101 Switching Protocols\r\nNo colon here\r\n\r\nafter", http10},
            {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\n", http10}, // head cut off
        };
        for (String[] c : cases) {
            try (ScriptedUpstream upstream = ScriptedUpstream.start((s, in, out, u) -> {
                out.write(c[0].getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            });
                    SideBySide pair = SideBySide.start(port -> "server { listen 127.0.0.1:" + port + ";\n"
                            + LOCATION.formatted(upstream.port(), "10s")
                            + "location /t10 { proxy_pass http://127.0.0.1:" + upstream.port() + "; "
                            + "proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection upgrade; }\n}",
                            Gateways.modules())) {
                String nginx = everything(pair.nginxPort(), c[1]);
                assertThat(everything(pair.gatewayPort(), c[1])).as(c[0]).isEqualTo(nginx);
            }
        }
    }

    /**
     * All the bytes the client receives until the connection closes, the head masked, and an error page's signature
     * (and so its length) too.
     */
    private static String everything(int port, String request) throws IOException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String all = SideBySide.masked(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
            return !all.contains("<hr><center>") ? all : all.replaceAll("<hr><center>[^<]*</center>", "<hr>*")
                    .replaceAll("(?m)^Content-Length: .*$", "Content-Length: *");
        }
    }

    @Test
    void unaskedSwitchIsABadGateway() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.echoAfter(SWITCH));
                TestGateway gw = Gateways.start("", LOCATION.formatted(upstream.port(), "10s"))) {
            RawResponse r = RawHttpClient.get(gw.port(), "/t");
            assertThat(r.code()).isEqualTo(502);
            assertThat(upstream.takeHead(Duration.ofSeconds(5))).doesNotContain("Upgrade:");
        }
    }

    @Test
    void bytesAroundTheSwitchGoThroughAndTheUpstreamClosing() throws Exception {
        ScriptedUpstream.Script script = (s, in, out, u) -> {
            out.write((SWITCH + "after").getBytes(StandardCharsets.US_ASCII)); // one write: head and first bytes
            out.flush();
            u.report(new String(in.readNBytes(EARLY.length()), StandardCharsets.US_ASCII));
            u.report(new String(in.readNBytes(4), StandardCharsets.US_ASCII));
            out.write("bye".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        };
        try (ScriptedUpstream upstream = ScriptedUpstream.start(script);
                TestGateway gw = Gateways.start("", LOCATION.formatted(upstream.port(), "10s"));
                Socket s = connect(gw.port())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write((UPGRADE_REQUEST + EARLY).getBytes(StandardCharsets.US_ASCII)); // sent before the 101
            out.flush();
            String head = WebSocketDifferentialTest.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n").contains("\r\nConnection: upgrade\r\n")
                    .contains("\r\nUpgrade: test\r\n").doesNotContain("Content-Length").doesNotContain("chunked");
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("after");
            assertThat(upstream.takeEvent(Duration.ofSeconds(5))).isEqualTo(EARLY);
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(upstream.takeEvent(Duration.ofSeconds(5))).isEqualTo("ping");
            // the upstream closes after "bye": the client gets it, then the end of the connection
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("bye");
        }
    }

    /** Through an upstream group with {@code keepalive}: the tunnel's upstream connection is closed, never pooled. */
    @Test
    void theClientClosingClosesTheUpstream() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.echoAfter(SWITCH));
                TestGateway gw = Gateways.start(
                        "upstream up { server 127.0.0.1:" + upstream.port() + "; keepalive 8; }",
                        LOCATION.formatted(upstream.port(), "10s").replaceFirst("127.0.0.1:\\d+", "up"))) {
            try (Socket s = connect(gw.port())) {
                s.getOutputStream().write((UPGRADE_REQUEST + "x").getBytes(StandardCharsets.US_ASCII));
                WebSocketDifferentialTest.readHead(s.getInputStream());
                assertThat(s.getInputStream().read()).isEqualTo('x');
            }
            assertThat(upstream.takeEvent(Duration.ofSeconds(5))).isEqualTo("eof");
        }
    }

    @Test
    void idleTunnelClosesAfterReadTimeoutAndTrafficEitherWayKeepsItOpen() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start((s, in, out, u) -> {
            out.write(SWITCH.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (in.read() >= 0) {
                // takes what the client sends, answers nothing
            }
            u.report("eof");
        });
                TestGateway gw = Gateways.start("", LOCATION.formatted(upstream.port(), "1s"));
                Socket s = connect(gw.port())) {
            s.getOutputStream().write(UPGRADE_REQUEST.getBytes(StandardCharsets.US_ASCII));
            WebSocketDifferentialTest.readHead(s.getInputStream());
            long start = System.nanoTime();
            for (int i = 0; i < 6; i++) { // 2.4 s of client traffic only, more than the timeout
                Thread.sleep(400);
                s.getOutputStream().write('.');
            }
            assertThat(upstream.takeEvent(Duration.ZERO)).as("tunnel closed while in use").isNull();
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(seconds).as("2.4 s of traffic, then the 1 s timeout").isBetween(3.3, 6.0);
            assertThat(upstream.takeEvent(Duration.ofSeconds(5))).isEqualTo("eof");
        }
    }

    @Test
    void tlsClientSide() throws Exception {
        Openssl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "a.key", "-out", "a.crt",
                "-subj", "/CN=a.test", "-days", "2");
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.echoAfter(SWITCH));
                TestGateway gw = TestGateway.start("""
                        events { }
                        http {
                            server {
                                listen 127.0.0.1:%d ssl;
                                ssl_certificate %s/a.crt;
                                ssl_certificate_key %s/a.key;
                        %s
                            }
                        }
                        """.formatted(TestGateway.freePort(), dir, dir, LOCATION.formatted(upstream.port(), "10s")),
                        Gateways.modules());
                Socket s = trustingTls().getSocketFactory().createSocket("127.0.0.1", gw.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(UPGRADE_REQUEST.getBytes(StandardCharsets.US_ASCII));
            assertThat(WebSocketDifferentialTest.readHead(s.getInputStream())).startsWith("HTTP/1.1 101 ");
            byte[] big = new byte[200_000];
            new SecureRandom().nextBytes(big);
            s.getOutputStream().write(big);
            assertThat(s.getInputStream().readNBytes(big.length)).isEqualTo(big);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    /** A client context that takes the test's self-signed certificate. */
    private static SSLContext trustingTls() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustingManager()}, null);
        return ctx;
    }

    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
