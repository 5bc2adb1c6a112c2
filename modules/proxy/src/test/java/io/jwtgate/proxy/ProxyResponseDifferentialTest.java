package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One upstream answer, passed on by stock nginx and by jwtgate: the client must see the same header block, byte for
 * byte but for the server's name and the date. The upstream writes names in odd case, a value with UTF-8 bytes,
 * repeated and hop-by-hop headers, and a {@code Location} of its own.
 */
class ProxyResponseDifferentialTest {

    /** The upstream's answer; the UTF-8 file name is sent as its raw bytes. */
    static final byte[] ANSWER = ("HTTP/1.1 201 Made It\r\n"
            + "server: upstream/1.0\r\n"
            + "x-lower: lower\r\n"
            + "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
            + "Content-Disposition: attachment; filename=\"na\u00efve \u2713.txt\"\r\n"
            + "Set-Cookie: a=1\r\n"
            + "CONTENT-TYPE: text/plain\r\n"
            + "Location: http://elsewhere.example/made\r\n"
            + "Set-Cookie: b=2\r\n"
            + "X-Pad: avoid browser bug\r\n"
            + "Keep-Alive: timeout=5\r\n"
            + "ETag: \"v1\"\r\n"
            + "Content-Length: 4\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + "body").getBytes(StandardCharsets.UTF_8);

    static FixedUpstream upstream;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        upstream = FixedUpstream.start(ANSWER);
        String location = "location / { proxy_pass http://127.0.0.1:" + upstream.port() + "; }\n"
                + "location /down/ { proxy_pass http://127.0.0.1:" + TestGateway.freePort() + "; }";
        pair = SideBySide.start(port -> "server { listen 127.0.0.1:" + port + "; " + location + " }",
                Gateways.modules());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void sameHeaderBlockAsNginx() {
        String expected = head(pair.nginxPort());
        String actual = head(pair.gatewayPort());
        assertThat(actual).isEqualTo(expected);
        // the raw bytes of the UTF-8 file name came through, not '?' in their place
        assertThat(actual).contains(new String("na\u00efve \u2713".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1));
    }

    @Test
    void sameAnswerAsNginxWhenTheUpstreamRefuses() {
        String expected = SideBySide.masked(RawHttpClient.get(pair.nginxPort(), "/down/x"));
        String actual = SideBySide.masked(RawHttpClient.get(pair.gatewayPort(), "/down/x"));
        assertThat(actual).startsWith("HTTP/1.1 502 Bad Gateway\r\n").isEqualTo(expected);
    }

    /** The header block as ISO-8859-1 text (one char per byte), the server's name and the date masked. */
    private static String head(int port) {
        RawResponse r = RawHttpClient.get(port, "/x");
        assertThat(r.bodyString()).isEqualTo("body");
        return SideBySide.masked(r.head());
    }
}
