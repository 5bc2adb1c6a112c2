package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.Openssl;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plain HTTP sent to a TLS port, to stock nginx and to jwtgate: nginx's 400 "plain HTTP request" page from both. */
class TlsPortDifferentialTest {

    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("tls-port-diff");
        Openssl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "a.key", "-out", "a.crt",
                "-subj", "/CN=a.test", "-days", "2");
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%1$d ssl;
                    ssl_certificate %2$s/a.crt;
                    ssl_certificate_key %2$s/a.key;
                    location / { return 200 "secret"; }
                }
                """.formatted(port, dir), CoreModules::create);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void plainHttpGetsNginxsAnswer() {
        for (String request : new String[] {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET /x HTTP/1.0\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n"}) {
            String expected = answer(pair.nginxPort(), request);
            assertThat(answer(pair.gatewayPort(), request)).as(request).isEqualTo(expected);
        }
        assertThat(answer(pair.nginxPort(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
                .contains("The plain HTTP request was sent to HTTPS port");
    }

    private static String answer(int port, String request) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return SideBySide.masked(c.send(request).readResponse());
        }
    }
}
