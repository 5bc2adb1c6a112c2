package io.jwtgate.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.Openssl;
import io.jwtgate.testing.TestGateway;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code listen ... ssl} with certificates made by the openssl CLI at test time, over real TLS connections. */
class TlsServerTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        // a: RSA key in PKCS#8; b: EC key in SEC1 ("BEGIN EC PRIVATE KEY"); c: RSA key in PKCS#1
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "a.key", "-out", "a.crt",
                "-subj", "/CN=a.test", "-days", "2", "-addext", "subjectAltName=DNS:a.test");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "b.key");
        openssl("req", "-x509", "-key", "b.key", "-out", "b.crt", "-subj", "/CN=b.test", "-days", "2",
                "-addext", "subjectAltName=DNS:b.test");
        openssl("genrsa", "-traditional", "-out", "c.key", "2048");
        openssl("req", "-x509", "-key", "c.key", "-out", "c.crt", "-subj", "/CN=c.test", "-days", "2");
        assertThat(Files.readString(dir.resolve("b.key"))).contains("BEGIN EC PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("c.key"))).contains("BEGIN RSA PRIVATE KEY");
    }

    static void openssl(String... args) throws Exception {
        Openssl.run(dir, args);
    }

    @Test
    void servesHttpsWithSniSelectedCertificates() throws Exception {
        int port = TestGateway.freePort();
        try (TestGateway gw = TestGateway.start(dir, """
                http {
                    ssl_protocols TLSv1.2 TLSv1.3;
                    server {
                        listen 127.0.0.1:%1$d ssl;
                        server_name a.test;
                        ssl_certificate a.crt;
                        ssl_certificate_key a.key;
                        location / { return 200 "a $scheme $https"; }
                    }
                    server {
                        listen 127.0.0.1:%1$d ssl;
                        server_name b.test;
                        ssl_certificate b.crt;
                        ssl_certificate_key b.key;
                        ssl_session_timeout 10m;
                        location / { return 200 "b $scheme"; }
                    }
                    server {
                        listen 127.0.0.1:%1$d ssl;
                        server_name c.test;
                        ssl_certificate c.crt;
                        ssl_certificate_key c.key;
                        location / { return 200 "c"; }
                    }
                }
                """.formatted(port), CoreModules::create)) {
            assertThat(get(port, "a.test")).isEqualTo(new Result("CN=a.test", "a https on"));
            assertThat(get(port, "b.test")).isEqualTo(new Result("CN=b.test", "b https"));
            assertThat(get(port, "c.test")).isEqualTo(new Result("CN=c.test", "c"));
        }
    }

    /** A reload that replaces the certificate keeps the socket and serves the new certificate to new connections. */
    @Test
    void reloadServesTheNewCertificateOnTheKeptSocket() throws Exception {
        int port = TestGateway.freePort();
        String conf = """
                http {
                    server {
                        listen 127.0.0.1:%d ssl;
                        ssl_certificate %s.crt;
                        ssl_certificate_key %s.key;
                        location / { return 200 "%s"; }
                    }
                }
                """;
        try (TestGateway gw = TestGateway.start(dir, conf.formatted(port, "a", "a", "one"), CoreModules::create)) {
            assertThat(get(port, "a.test")).isEqualTo(new Result("CN=a.test", "one"));
            gw.reload(conf.formatted(port, "b", "b", "two"));
            assertThat(get(port, "a.test")).isEqualTo(new Result("CN=b.test", "two"));
        }
    }

    @Test
    void listenSslWithoutCertificateIsAConfigurationError() throws Exception {
        ConfException e = TestGateway.configError(dir, "http {\n server {\n  listen 127.0.0.1:8443 ssl;\n }\n}\n",
                CoreModules::create);
        assertThat(e.reason()).isEqualTo("no \"ssl_certificate\" is defined for the listen ... ssl directive");
        assertThat(e.line()).isEqualTo(3);
    }

    @Test
    void brokenKeyFileIsAConfigurationError() throws Exception {
        Files.writeString(dir.resolve("broken.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        ConfException e = TestGateway.configError(dir, """
                http {
                 server {
                  listen 127.0.0.1:8443 ssl;
                  ssl_certificate a.crt;
                  ssl_certificate_key broken.key;
                 }
                }
                """, CoreModules::create);
        assertThat(e.reason()).startsWith("cannot load certificate");
        assertThat(e.line()).isEqualTo(4);
    }

    @Test
    void obsoleteProtocolsAreRefused() throws Exception {
        ConfException e = TestGateway.configError(dir, "http { ssl_protocols TLSv1 TLSv1.2; }", CoreModules::create);
        assertThat(e.reason()).startsWith("obsolete protocol \"TLSv1\"");
    }

    record Result(String subject, String body) {
    }

    /** One HTTPS request with SNI {@code host}, trusting the three test certificates. */
    private static Result get(int port, String host) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (String n : new String[] {"a", "b", "c"}) {
            ks.setCertificateEntry(n, cf.generateCertificate(
                    new ByteArrayInputStream(Files.readAllBytes(dir.resolve(n + ".crt")))));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLParameters params = s.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(host)));
            s.setSSLParameters(params);
            s.setSoTimeout(10_000);
            s.startHandshake();
            String subject = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                    .getName();
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertThat(response).startsWith("HTTP/1.1 200");
            return new Result(subject, body);
        }
    }
}
