package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.Openssl;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * {@code proxy_pass https://} over real TLS to a Netty backend, with certificates made by the openssl CLI at test
 * time: a CA and server certificates it signed (valid, expired, for another host name, via an intermediate), a
 * self-signed one and one from an untrusted CA.
 */
class UpstreamTlsTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        Files.writeString(dir.resolve("san-localhost.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        Files.writeString(dir.resolve("san-other.ext"), "subjectAltName=DNS:other.test\n");
        Files.writeString(dir.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n");
        ca("ca", "Test CA");
        ca("ca2", "Untrusted CA");
        leaf("server", "ca", "san-localhost.ext", "localhost");
        leaf("other", "ca", "san-other.ext", "other.test");
        leaf("untrusted", "ca2", "san-localhost.ext", "localhost");
        // an intermediate CA under ca, and a server certificate it signed; served as leaf + intermediate
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "inter.key", "-out", "inter.csr",
                "-subj", "/CN=Intermediate CA");
        openssl("x509", "-req", "-in", "inter.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "inter.pem", "-days", "2", "-extfile", "ca.ext");
        leaf("deep", "inter", "san-localhost.ext", "localhost");
        Files.writeString(dir.resolve("deep-chain.pem"),
                Files.readString(dir.resolve("deep.pem")) + Files.readString(dir.resolve("inter.pem")));
        // self-signed
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "self.key", "-out", "self.pem",
                "-subj", "/CN=localhost", "-days", "2", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        // expired: openssl 3.0's x509 cannot back-date, "openssl ca" can
        Files.writeString(dir.resolve("ca.cnf"), """
                [ ca ]
                default_ca = d
                [ d ]
                database = index.txt
                new_certs_dir = .
                serial = serial
                default_md = sha256
                policy = p
                copy_extensions = copy
                [ p ]
                commonName = supplied
                """);
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "1000\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "expired.key", "-out", "expired.csr",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        openssl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", "expired.csr",
                "-out", "expired.pem", "-notext", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z");
    }

    private static void ca(String name, String cn) throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
                "-subj", "/CN=" + cn, "-days", "2");
    }

    private static void leaf(String name, String ca, String ext, String cn) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", ext);
    }

    static void openssl(String... args) throws Exception {
        Openssl.run(dir, args);
    }

    private static TestGateway gateway(String httpLevel, String serverBody) throws Exception {
        return TestGateway.start(dir, Gateways.conf(httpLevel, serverBody), Gateways.modules());
    }

    private static ConfException error(String httpLevel, String serverBody) throws Exception {
        return TestGateway.configError(dir, Gateways.conf(httpLevel, serverBody), Gateways.modules());
    }

    /** Runs {@code r}, returning the messages logged on {@code jwtgate.proxy} meanwhile. */
    private static List<String> logged(ThrowingRunnable r) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("jwtgate.proxy");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            r.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void verifiedWithTrustedCaSendsSniAndReusesConnections() throws Exception {
        try (TlsBackend backend = new TlsBackend(dir.resolve("server.pem"), dir.resolve("server.key"));
                TestGateway gw = gateway("""
                        upstream jwks { server 127.0.0.1:%d; keepalive 4; }
                        proxy_ssl_trusted_certificate ca.pem;
                        """.formatted(backend.port()), """
                        location /jwks { proxy_pass https://localhost:%d/.well-known/jwks.json; }
                        location /kept {
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_ssl_name localhost;
                            proxy_pass https://jwks/.well-known/jwks.json;
                        }
                        location /port { return 200 "$proxy_port"; }
                        """.formatted(backend.port()))) {
            RawResponse r = RawHttpClient.get(gw.port(), "/jwks");
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo(TlsBackend.JWKS);
            assertThat(r.header("X-Host")).isEqualTo("localhost:" + backend.port());
            assertThat(r.header("X-Uri")).isEqualTo("/.well-known/jwks.json");
            assertThat(backend.sniNames).containsExactly("localhost");

            int before = backend.connections.get();
            for (int i = 0; i < 5; i++) {
                RawResponse k = RawHttpClient.get(gw.port(), "/kept");
                assertThat(k.code()).isEqualTo(200);
                assertThat(k.bodyString()).isEqualTo(TlsBackend.JWKS);
            }
            assertThat(backend.connections.get() - before).isEqualTo(1);
            assertThat(backend.handshakes.get()).isEqualTo(2);
            assertThat(backend.sniNames).containsExactly("localhost", "localhost");
            assertThat(gw.config().warnings()).isEmpty();
        }
    }

    @Test
    void ipLiteralSendsNoSniAndVerifiesTheAddress() throws Exception {
        try (TlsBackend backend = new TlsBackend(dir.resolve("server.pem"), dir.resolve("server.key"));
                TestGateway gw = gateway("proxy_ssl_trusted_certificate ca.pem;", """
                        location / { proxy_pass https://127.0.0.1:%d; }
                        location /off { proxy_ssl_server_name off; proxy_pass https://localhost:%1$d; }
                        """.formatted(backend.port()))) {
            assertThat(RawHttpClient.get(gw.port(), "/x").code()).isEqualTo(200);
            assertThat(RawHttpClient.get(gw.port(), "/off").code()).isEqualTo(200);
            assertThat(backend.sniNames).containsExactly("", "");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "expired   | ca.pem  | upstream SSL certificate verify error: (10:certificate has expired)",
        "self      | ca.pem  | upstream SSL certificate verify error: (18:self-signed certificate)",
        "other     | ca.pem  | upstream SSL certificate does not match \"localhost\"",
        "untrusted | ca.pem  | upstream SSL certificate verify error: (20:unable to get local issuer certificate)",
        "self      | ''      | upstream SSL certificate verify error: (18:self-signed certificate)",
    })
    void verificationFailuresAre502(String cert, String trusted, String reason) throws Exception {
        try (TlsBackend backend = new TlsBackend(dir.resolve(cert + ".pem"), dir.resolve(cert + ".key"));
                TestGateway gw = gateway(trusted.isEmpty() ? "" : "proxy_ssl_trusted_certificate " + trusted + ";",
                        "location / { proxy_pass https://localhost:%d/jwks/; }".formatted(backend.port()))) {
            List<String> log = logged(() -> {
                RawResponse r = RawHttpClient.get(gw.port(), "/x");
                assertThat(r.code()).isEqualTo(502);
            });
            assertThat(backend.requests.get()).isZero();
            assertThat(log).hasSize(1);
            assertThat(log.get(0)).startsWith(reason + " while SSL handshaking to upstream, client: 127.0.0.1")
                    .contains("upstream: \"https://127.0.0.1:" + backend.port() + "/jwks/x\"");
        }
    }

    @Test
    void failedHandshakeTriesTheNextPeer() throws Exception {
        try (TlsBackend bad = new TlsBackend(dir.resolve("self.pem"), dir.resolve("self.key"));
                TlsBackend good = new TlsBackend(dir.resolve("server.pem"), dir.resolve("server.key"));
                TestGateway gw = gateway("""
                        upstream both { server 127.0.0.1:%d; server 127.0.0.1:%d; }
                        proxy_ssl_trusted_certificate ca.pem;
                        proxy_ssl_name localhost;
                        """.formatted(bad.port(), good.port()),
                        "location / { proxy_pass https://both; add_header X-S $upstream_status always; }")) {
            RawResponse r = RawHttpClient.get(gw.port(), "/x");
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("X-S")).isEqualTo("502, 200");
            assertThat(bad.requests.get()).isZero();
            assertThat(good.requests.get()).isEqualTo(1);
        }
    }

    @Test
    void variableUrlWithHttps() throws Exception {
        try (TlsBackend backend = new TlsBackend(dir.resolve("server.pem"), dir.resolve("server.key"));
                TestGateway gw = gateway("proxy_ssl_trusted_certificate ca.pem;", """
                        location / { proxy_pass https://$arg_h:%d/v; }
                        location /p { proxy_pass https://localhost:%1$d; add_header X-P $proxy_port always; }
                        location /q { proxy_pass https://localhost; add_header X-P "$proxy_host $proxy_port" always; }
                        """.formatted(backend.port()))) {
            RawResponse r = RawHttpClient.get(gw.port(), "/x?h=127.0.0.1");
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("X-Uri")).isEqualTo("/v");
            assertThat(RawHttpClient.get(gw.port(), "/p").header("X-P")).isEqualTo(String.valueOf(backend.port()));
            // nothing listens on 443 here: the answer is 502, the variables still describe the URL
            assertThat(RawHttpClient.get(gw.port(), "/q").header("X-P")).isEqualTo("localhost 443");
        }
    }

    @Test
    void handshakeTimeoutIs504() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                TestGateway gw = gateway("", """
                        location / { proxy_connect_timeout 300ms; proxy_pass https://localhost:%d; }
                        """.formatted(silent.getLocalPort()))) {
            List<String> log = logged(() -> assertThat(RawHttpClient.get(gw.port(), "/x").code()).isEqualTo(504));
            assertThat(log).anyMatch(m -> m.startsWith(
                    "upstream timed out (110: Connection timed out) while SSL handshaking to upstream"));
        }
    }

    @Test
    void verifyOffAcceptsSelfSignedWithAWarning() throws Exception {
        try (TlsBackend backend = new TlsBackend(dir.resolve("self.pem"), dir.resolve("self.key"));
                TestGateway gw = gateway("", """
                        location / { proxy_ssl_verify off; proxy_pass https://localhost:%d; }
                        """.formatted(backend.port()))) {
            assertThat(RawHttpClient.get(gw.port(), "/x").code()).isEqualTo(200);
            assertThat(gw.config().warnings()).singleElement().asString()
                    .startsWith("\"proxy_ssl_verify off\": certificates of https upstreams are not verified in ")
                    .contains("nginx.conf:");
        }
    }

    @Test
    void verifyDepthCountsIntermediates() throws Exception {
        try (TlsBackend backend = new TlsBackend(dir.resolve("deep-chain.pem"), dir.resolve("deep.key"));
                TestGateway gw = gateway("proxy_ssl_trusted_certificate ca.pem;", """
                        location /default { proxy_pass https://localhost:%d; }
                        location /zero { proxy_ssl_verify_depth 0; proxy_pass https://localhost:%1$d; }
                        """.formatted(backend.port()))) {
            assertThat(RawHttpClient.get(gw.port(), "/default").code()).isEqualTo(200);
            List<String> log = logged(() -> assertThat(RawHttpClient.get(gw.port(), "/zero").code()).isEqualTo(502));
            assertThat(log).singleElement().asString()
                    .startsWith("upstream SSL certificate verify error: (22:certificate chain too long)");
            assertThat(backend.requests.get()).isEqualTo(1);
        }
    }

    @Test
    void tlsAndPlainConnectionsAreNotMixedInOnePool() throws Exception {
        try (TlsBackend backend = new TlsBackend(dir.resolve("server.pem"), dir.resolve("server.key"));
                TestGateway gw = gateway("""
                        upstream u { server 127.0.0.1:%d; keepalive 4; }
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_ssl_trusted_certificate ca.pem;
                        """.formatted(backend.port()), """
                        location /a { proxy_ssl_name localhost; proxy_pass https://u; }
                        location /b { proxy_ssl_verify off; proxy_ssl_name other.test; proxy_pass https://u; }
                        """)) {
            for (int i = 0; i < 3; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/a").code()).isEqualTo(200);
                assertThat(RawHttpClient.get(gw.port(), "/b").code()).isEqualTo(200);
            }
            assertThat(backend.connections.get()).isEqualTo(2);
            assertThat(backend.sniNames).containsExactlyInAnyOrder("localhost", "other.test");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "proxy_ssl_trusted_certificate missing.pem;      | cannot load trusted certificate",
        "proxy_ssl_trusted_certificate ca.cnf;           | no certificate found",
        "proxy_ssl_verify yes;"
                + "| invalid value \"yes\" in \"proxy_ssl_verify\" directive, it must be \"on\" or \"off\"",
        "proxy_ssl_verify_depth x;                       | \"proxy_ssl_verify_depth\" directive invalid number",
        "proxy_ssl_server_name 1;                        | it must be \"on\" or \"off\"",
        "proxy_ssl_protocols TLSv1.1;                    | obsolete protocol \"TLSv1.1\"",
        "proxy_ssl_name $host;                           | variables are not supported in \"proxy_ssl_name\"",
        "proxy_ssl_verify on; proxy_ssl_verify off;      | \"proxy_ssl_verify\" directive is duplicate",
    })
    void configurationErrors(String httpLevel, String message) throws Exception {
        ConfException e = error("\n" + httpLevel, "location / { proxy_pass https://127.0.0.1:1; }");
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(message).contains("nginx.conf:5");
    }

    @Test
    void missingTrustedCertificateNamesTheFile() throws Exception {
        ConfException e = error("",
                "location / { proxy_ssl_trusted_certificate nope.pem; proxy_pass https://127.0.0.1; }");
        assertThat(e.getMessage())
                .contains("cannot load trusted certificate \"" + dir.resolve("nope.pem") + "\": no such file")
                .contains("nginx.conf:8");
    }
}
