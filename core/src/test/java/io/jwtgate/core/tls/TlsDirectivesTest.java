package io.jwtgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.Openssl;
import io.jwtgate.testing.TestGateway;
import io.netty.handler.ssl.CipherSuiteConverter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ssl_ciphers}, {@code ssl_prefer_server_ciphers}, {@code ssl_session_cache} and {@code ssl_buffer_size} over
 * real TLS handshakes with JDK clients that restrict their suites; the cipher strings against the openssl CLI's
 * reading of them; the configuration errors against {@code nginx -t}.
 */
class TlsDirectivesTest {

    @TempDir
    static Path dir;

    static final String GCM128 = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    static final String GCM256 = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";

    @BeforeAll
    static void certificate() throws Exception {
        Openssl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "a.key", "-out", "a.crt",
                "-subj", "/CN=a.test", "-days", "2", "-addext", "subjectAltName=DNS:a.test");
    }

    /** The TLS 1.2 suites a cipher string gives: as the openssl CLI's, kept to those the JDK has, as a set. */
    @ParameterizedTest
    @ValueSource(strings = {"HIGH:!aNULL:!MD5", "ECDHE+AESGCM", "EECDH+AESGCM:EDH+AESGCM", "HIGH:!kRSA:!DHE",
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:"
            + "DHE-RSA-AES128-GCM-SHA256",
        "ALL:!aNULL:!SHA1:!SHA256:!SHA384", "HIGH:-AES128:+AES256:!PSK:!CAMELLIA:!3DES:!RC4:!EXP"})
    void cipherStringsAsOpenssl(String cipherString) throws Exception {
        List<String> jdk = List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        List<String> ours = CipherString.select(cipherString).stream().filter(s -> s.contains("_WITH_")).toList();
        List<String> openssl = new ArrayList<>();
        for (String name : Openssl.run(dir, "ciphers", "-tls1_2", cipherString).strip().split(":")) {
            String java = CipherSuiteConverter.toJava(name, "TLS");
            if (java != null && java.contains("_WITH_") && jdk.contains(java)) {
                openssl.add(java);
            }
        }
        assertThat(ours).isNotEmpty().containsExactlyInAnyOrderElementsOf(openssl);
        if (!cipherString.contains("+") && !cipherString.contains("HIGH") && !cipherString.contains("ALL")) {
            assertThat(ours).as("explicit names keep their order").containsExactlyElementsOf(openssl);
        }
    }

    @Test
    void cipherStringsItCannotTranslateAreRefused() {
        assertThatThrownBy(() -> CipherString.select("HIGH:FROBNICATE")).hasMessageContaining("\"FROBNICATE\"");
        assertThatThrownBy(() -> CipherString.select("PSK:CAMELLIA")).hasMessage("no cipher match");
    }

    /**
     * The JDK client offers its suites in its own order (AES-256 before AES-128), whatever order it is given: the
     * server's order wins with {@code ssl_prefer_server_ciphers on}, the client's with off.
     */
    @Test
    void cipherListAndServerPreferenceInHandshakes() throws Exception {
        int port = TestGateway.freePort();
        String ciphers = "ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384;\n";
        try (TestGateway gw = start(port, ciphers + "ssl_prefer_server_ciphers on;")) {
            assertThat(handshake(port, GCM256, GCM128)).isEqualTo(GCM128);
            assertThat(handshake(port, GCM256)).isEqualTo(GCM256);
            assertThatThrownBy(() -> handshake(port, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"))
                    .isInstanceOf(SSLHandshakeException.class);
        }
        try (TestGateway gw = start(port, ciphers + "ssl_prefer_server_ciphers off;")) {
            assertThat(handshake(port, GCM256, GCM128)).isEqualTo(GCM256);
        }
    }

    /** A second connection from the same client resumes the first one's session (TLS 1.2: the same session id). */
    @Test
    void sessionsResumeWithTheSessionCache() throws Exception {
        int port = TestGateway.freePort();
        try (TestGateway gw = start(port, "ssl_session_cache shared:SSL:10m;\nssl_session_timeout 10m;")) {
            SSLContext client = client();
            byte[] first = sessionId(client, port);
            byte[] second = sessionId(client, port);
            assertThat(first).isNotEmpty();
            assertThat(second).isEqualTo(first);
        }
    }

    @Test
    void bufferSizeServesWholeBodies() throws Exception {
        int port = TestGateway.freePort();
        try (TestGateway gw = start(port, "ssl_buffer_size 4k;")) {
            SSLContext client = client();
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET /big HTTP/1.0\r\nHost: a.test\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(r).startsWith("HTTP/1.1 200").endsWith("x".repeat(20000));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssl_session_cache foo;", "ssl_session_cache shared:SSL:1k;",
        "ssl_session_cache builtin:x;",
        "ssl_session_cache shared:SSL;", "ssl_buffer_size x;", "ssl_prefer_server_ciphers yes;",
        "ssl_session_tickets maybe;", "ssl_stapling on;\n    ssl_stapling on;"})
    void refusedAsNginx(String directive) throws Exception {
        Path d = Files.createTempDirectory(dir, "conf");
        NginxConfigCheck.assertSameError(d, "events { }\nhttp {\n    " + directive + "\n}\n", CoreModules::create);
    }

    @Test
    void earlyDataOnIsRefused() throws Exception {
        assertThat(TestGateway.configError(dir, "http { ssl_early_data on; }", CoreModules::create).getMessage())
                .contains("early data is not supported");
    }

    private static TestGateway start(int port, String directives) throws Exception {
        return TestGateway.start(dir, """
                http {
                    ssl_protocols TLSv1.2;
                    %2$s
                    server {
                        listen 127.0.0.1:%1$d ssl;
                        server_name a.test;
                        ssl_certificate a.crt;
                        ssl_certificate_key a.key;
                        location / { return 200 "ok"; }
                        location /big { return 200 "%3$s"; }
                    }
                }
                """.formatted(port, directives, "x".repeat(20000)), CoreModules::create);
    }

    private static SSLContext client() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(dir.resolve("a.crt")))) {
            trust.setCertificateEntry("a", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A TLS 1.2 handshake offering {@code suites} in that order: the suite the server chose. */
    private static String handshake(int port, String... suites) throws Exception {
        try (SSLSocket s = (SSLSocket) client().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.setEnabledCipherSuites(suites);
            s.startHandshake();
            return s.getSession().getCipherSuite();
        }
    }

    private static byte[] sessionId(SSLContext client, int port) throws Exception {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: a.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readAllBytes();
            return Arrays.copyOf(s.getSession().getId(), s.getSession().getId().length);
        }
    }
}
