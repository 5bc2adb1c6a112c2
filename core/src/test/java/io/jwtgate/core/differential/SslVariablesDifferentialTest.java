package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.Openssl;
import io.jwtgate.testing.SideBySide;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * nginx's {@code $ssl_*} variables, in a {@code return} body, an {@code add_header} and the access log of stock
 * nginx and jwtgate, for the same JDK client handshakes (protocol, suites, SNI and ALPN fixed so that the values are
 * the same every run), and on a plain connection, where none is found.
 */
class SslVariablesDifferentialTest {

    static final String VARS = "$ssl_protocol|$ssl_cipher|$ssl_ciphers|$ssl_curves|$ssl_curve|$ssl_server_name|"
            + "$ssl_session_reused|$ssl_alpn_protocol|$ssl_early_data|$ssl_client_verify|$ssl_client_cert|"
            + "$ssl_client_raw_cert|$ssl_client_escaped_cert|$ssl_client_s_dn|$ssl_client_i_dn|"
            + "$ssl_client_s_dn_legacy|$ssl_client_i_dn_legacy|$ssl_client_serial|$ssl_client_fingerprint|"
            + "$ssl_client_v_start|$ssl_client_v_end|$ssl_client_v_remain";

    static final String CONFIG = """
            log_format s '%3$s';
            server {
                listen 127.0.0.1:%2$d%4$s;
                server_name a.test;
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_session_cache shared:SSL:1m;
                ssl_certificate %1$s/a.crt;
                ssl_certificate_key %1$s/a.key;
                access_log %1$s/access-%2$d.log s;
                location / {
                    add_header X-Protocol "[$ssl_protocol]";
                    return 200 "%3$s";
                }
                location /id { return 200 "$ssl_session_id"; }
            }
            """;

    static Path dir;
    static SideBySide tls;
    static SideBySide plain;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("ssl-vars");
        Openssl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "a.key", "-out", "a.crt",
                "-subj", "/CN=a.test", "-days", "2");
        tls = SideBySide.start(port -> CONFIG.formatted(dir, port, VARS, " ssl"), CoreModules::create);
        plain = SideBySide.start(port -> CONFIG.formatted(dir, port, VARS, ""), CoreModules::create);
    }

    @AfterAll
    static void stop() throws Exception {
        for (SideBySide pair : new SideBySide[] {tls, plain}) {
            if (pair != null) {
                pair.close();
            }
        }
    }

    @Test
    void tls13WithSniAndAlpn() throws Exception {
        Client c = new Client("TLSv1.3", List.of("TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"),
                "a.test", "http/1.1");
        String expected = c.get(tls.nginxPort(), "/");
        assertThat(c.get(tls.gatewayPort(), "/")).isEqualTo(expected);
        assertThat(expected).contains("X-Protocol: [TLSv1.3]")
                .endsWith("TLSv1.3|TLS_AES_128_GCM_SHA256|TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256|"
                        + CURVES + ":" + FFDHE + "|X25519|a.test|.|http/1.1||NONE||||||||||||");
    }

    @Test
    void tls12WithoutSniOrAlpn() throws Exception {
        Client c = new Client("TLSv1.2", List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"), null, null);
        String expected = c.get(tls.nginxPort(), "/");
        assertThat(c.get(tls.gatewayPort(), "/")).isEqualTo(expected);
        assertThat(expected).endsWith("TLSv1.2|ECDHE-RSA-AES256-GCM-SHA384|ECDHE-RSA-AES256-GCM-SHA384:"
                + "ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256|" + CURVES
                + "|X25519||.|||NONE||||||||||||");
    }

    @Test
    void accessLogLinesAsNginx() throws Exception {
        Client c = new Client("TLSv1.2", List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "a.test", null);
        c.get(tls.nginxPort(), "/");
        c.get(tls.gatewayPort(), "/");
        plainGet(plain.nginxPort());
        plainGet(plain.gatewayPort());
        String nginx = lastLogLine(tls.nginxPort());
        assertThat(lastLogLine(tls.gatewayPort())).isEqualTo(nginx);
        assertThat(nginx).startsWith("TLSv1.2|ECDHE-RSA-AES128-GCM-SHA256|").contains("|X25519|a.test|.|-|");
        // not found on a plain connection: the log's "-"
        String plainLine = lastLogLine(plain.nginxPort());
        assertThat(lastLogLine(plain.gatewayPort())).isEqualTo(plainLine);
        assertThat(plainLine).isEqualTo(String.join("|", Collections.nCopies(22, "-")));
    }

    @Test
    void plainConnectionHasNone() throws Exception {
        String expected = plainGet(plain.nginxPort());
        assertThat(plainGet(plain.gatewayPort())).isEqualTo(expected);
        assertThat(expected).contains("X-Protocol: []").endsWith("|||||||||||||||||||||");
    }

    /**
     * The session's id in lower-case hex, random. On TLS 1.2 nginx (OpenSSL) has none when it sends a session ticket,
     * and so not found; the JDK's session always has one, which jwtgate gives (a documented difference).
     */
    @Test
    void sessionIdInHex() throws Exception {
        Client tls13 = new Client("TLSv1.3", null, null, null);
        String nginx = body(tls13.get(tls.nginxPort(), "/id"));
        assertThat(nginx).matches("[0-9a-f]{64}");
        assertThat(body(tls13.get(tls.gatewayPort(), "/id"))).matches("[0-9a-f]{64}").isNotEqualTo(nginx);
        Client tls12 = new Client("TLSv1.2", null, null, null);
        assertThat(body(tls12.get(tls.nginxPort(), "/id"))).isEmpty();
        assertThat(body(tls12.get(tls.gatewayPort(), "/id"))).matches("[0-9a-f]{64}");
    }

    /** A second connection of the same client resumes its session with both: {@code r}. */
    @Test
    void resumedSessionIsReused() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            Client c = new Client(protocol, null, null, null);
            String nginx = reused(c, tls.nginxPort());
            assertThat(reused(c, tls.gatewayPort())).as(protocol).isEqualTo(nginx).isEqualTo(".r");
        }
    }

    /**
     * OpenSSL's own client, whose offer the JDK's cannot make: the renegotiation signalling suite, a DHE suite, a
     * group list of its choosing, two ALPN protocols (the server's order wins).
     */
    @Test
    void opensslClient() throws Exception {
        String expected = sClient(tls.nginxPort());
        assertThat(sClient(tls.gatewayPort())).isEqualTo(expected);
        assertThat(expected).startsWith("HTTP/1.1 200 OK").endsWith("TLSv1.2|ECDHE-RSA-CHACHA20-POLY1305|"
                + "ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES256-GCM-SHA384:TLS_EMPTY_RENEGOTIATION_INFO_SCSV|"
                + "secp384r1:brainpoolP256r1:X448|secp384r1|a.test|.|http/1.1||NONE||||||||||||");
    }

    /**
     * A TLS 1.2 session resumed by its id (no ticket) keeps the group it was made with, as in OpenSSL; one resumed
     * from a ticket has none with jwtgate (see {@link #curveAsNginx}).
     */
    @Test
    void sessionResumedByIdKeepsItsCurve() throws Exception {
        for (int port : new int[] {tls.nginxPort(), tls.gatewayPort()}) {
            String session = "s-" + port + ".pem";
            String first = sClient(port, "-no_ticket", "-sess_out", session);
            String second = sClient(port, "-no_ticket", "-sess_in", session);
            assertThat(field(first, 4) + field(first, 6) + "," + field(second, 4) + field(second, 6))
                    .as("port %d", port).isEqualTo("secp384r1.,secp384r1r");
        }
    }

    /** An ALPN offer without HTTP/1.x: both end the handshake ({@code no_application_protocol}). */
    @Test
    void alpnWithoutHttp1IsRefused() throws Exception {
        Client c = new Client("TLSv1.3", null, null, "h2");
        for (int port : new int[] {tls.nginxPort(), tls.gatewayPort()}) {
            assertThatThrownBy(() -> c.get(port, "/")).as("port %d", port).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("no_application_protocol");
        }
    }

    /**
     * The group the key exchange agreed, none for an RSA key exchange; a second connection resumes the session, with
     * a key share of its own on TLS 1.3, from a session ticket on TLS 1.2, where nginx shows the group the session was
     * made with and jwtgate none (documented).
     */
    @Test
    void curveAsNginx() throws Exception {
        Client rsa = new Client("TLSv1.2", List.of("TLS_RSA_WITH_AES_128_GCM_SHA256"), null, null);
        for (int port : new int[] {tls.nginxPort(), tls.gatewayPort()}) {
            assertThat(field(rsa.get(port, "/"), 4)).as("port %d", port).isEmpty();
        }
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            Client c = new Client(protocol, null, null, null);
            String nginx = field(c.get(tls.nginxPort(), "/"), 4) + "," + field(c.get(tls.nginxPort(), "/"), 4);
            String gateway = field(c.get(tls.gatewayPort(), "/"), 4) + "," + field(c.get(tls.gatewayPort(), "/"), 4);
            if (protocol.equals("TLSv1.2")) {
                // resumed from a session ticket, whose group the JDK's session does not keep (documented)
                assertThat(nginx).isEqualTo("X25519,X25519");
                assertThat(gateway).isEqualTo("X25519,");
            } else {
                assertThat(gateway).as(protocol).isEqualTo(nginx).isEqualTo("X25519,X25519");
            }
        }
    }

    /**
     * The elliptic-curve groups the JDK 17 client offers, under OpenSSL's names, then the finite-field ones it adds
     * when a suite it offers can use them (TLS 1.3's, DHE).
     */
    static final String CURVES = "X25519:prime256v1:secp384r1:secp521r1:X448";
    static final String FFDHE = "ffdhe2048:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192";

    private static String reused(Client c, int port) throws Exception {
        String first = c.get(port, "/");
        String second = c.get(port, "/");
        return field(first, 6) + field(second, 6);
    }

    private static String field(String response, int n) {
        return body(response).split("\\|", -1)[n];
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** {@code openssl s_client} with a fixed offer sending {@code GET /}: the masked response. */
    private static String sClient(int port, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-quiet", "-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES256-GCM-SHA384", "-curves",
                "secp384r1:brainpoolP256r1:X448", "-servername", "a.test", "-alpn", "http/1.0,http/1.1"));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.getOutputStream().write("GET / HTTP/1.0\r\nHost: a.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("openssl s_client finished").isTrue();
            return SideBySide.masked(new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String plainGet(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return exchange(s);
        }
    }

    private static String exchange(Socket s) throws IOException {
        s.setSoTimeout(5000);
        s.getOutputStream().write("GET / HTTP/1.0\r\nHost: a.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return SideBySide.masked(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    private static String lastLogLine(int port) throws Exception {
        Path log = dir.resolve("access-" + port + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
            if (!lines.isEmpty()) {
                return lines.get(lines.size() - 1);
            }
            assertThat(System.nanoTime()).as("a line in " + log).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A JDK TLS client trusting the test certificate, with its offer fixed; its sessions are kept per port. */
    private static final class Client {
        private final SSLContext context;
        private final List<String> suites;
        private final String sni;
        private final String alpn;

        Client(String protocol, List<String> suites, String sni, String alpn) throws Exception {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(dir.resolve("a.crt")))) {
                trust.setCertificateEntry("a", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            this.context = SSLContext.getInstance(protocol);
            context.init(null, tmf.getTrustManagers(), null);
            this.suites = suites;
            this.sni = sni;
            this.alpn = alpn;
        }

        /** {@code GET path} over a new connection: the masked response. */
        String get(int port, String path) throws IOException {
            try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                SSLParameters p = s.getSSLParameters();
                p.setProtocols(new String[] {context.getProtocol()});
                if (suites != null) {
                    p.setCipherSuites(suites.toArray(String[]::new));
                }
                p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
                if (alpn != null) {
                    p.setApplicationProtocols(new String[] {alpn});
                }
                s.setSSLParameters(p);
                s.setSoTimeout(5000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: a.test\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return SideBySide.masked(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
    }
}
