package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    /** Answers whose framing and status the proxy must pass on as nginx does; each gets its own upstream. */
    static final String[] VARIANTS = {
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until close",
        "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 200\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
        "HTTP/1.1 299 Whatever It Is\r\nContent-Length: 2\r\nX-Empty:\r\nConnection: close\r\n\r\nok",
        "HTTP/1.1 404 Not Here\r\nContent-Type: text/html\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope",
    };

    static FixedUpstream upstream;
    static TestBackend chunked;
    static final List<FixedUpstream> variants = new ArrayList<>();
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        upstream = FixedUpstream.start(ANSWER);
        chunked = TestBackend.start().reply(Reply.chunked(200, List.of("hello ", "world")));
        StringBuilder locations = new StringBuilder("location / { proxy_pass http://127.0.0.1:" + upstream.port()
                + "; }\nlocation /down/ { proxy_pass http://127.0.0.1:" + TestGateway.freePort() + "; }\n"
                + "location /chunked/ { proxy_pass http://" + chunked.hostPort() + "; proxy_http_version 1.1; }\n");
        for (int i = 0; i < VARIANTS.length; i++) {
            FixedUpstream u = FixedUpstream.start(VARIANTS[i].getBytes(StandardCharsets.ISO_8859_1));
            variants.add(u);
            locations.append("location /v").append(i).append("/ { proxy_pass http://127.0.0.1:").append(u.port())
                    .append("; }\n");
        }
        String location = locations.toString();
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
        if (chunked != null) {
            chunked.close();
        }
        for (FixedUpstream u : variants) {
            u.close();
        }
    }

    @Test
    void framingAndStatusPassedOnAsNginxDoes() {
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < VARIANTS.length; i++) {
            for (String method : new String[] {"GET", "HEAD"}) {
                String expected = answer(pair.nginxPort(), method, i);
                String actual = answer(pair.gatewayPort(), method, i);
                if (!expected.equals(actual)) {
                    diffs.add(method + " " + VARIANTS[i] + "\n   nginx:\n" + expected + "\n   jwtgate:\n" + actual);
                }
            }
        }
        assertThat(diffs).as("answers that differ").isEmpty();
    }

    /**
     * HEAD to a kept-alive upstream that answers chunked: the head only (nginx's chunked filter leaves a head-only
     * response alone), no chunk framing, and the connection goes on to the next request.
     */
    @Test
    void headToAChunkedUpstreamIsTheHeadOnlyAsNginx() {
        List<String> expected = headThenGet(pair.nginxPort());
        assertThat(headThenGet(pair.gatewayPort())).isEqualTo(expected);
        assertThat(expected.get(0)).as("nginx's answer to HEAD").doesNotContain("Transfer-Encoding")
                .contains("Connection: keep-alive\r\n");
        assertThat(expected.get(1)).as("nginx's answer to GET").contains("Transfer-Encoding: chunked")
                .endsWith("hello world");
    }

    /** HEAD, GET, HEAD and GET on one connection, each answer masked. */
    private static List<String> headThenGet(int port) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            List<String> answers = new ArrayList<>();
            for (String method : new String[] {"HEAD", "GET", "HEAD", "GET"}) {
                answers.add(SideBySide.masked(c.send(method + " /chunked/x HTTP/1.1\r\nHost: a\r\n\r\n")
                        .readResponse(method.equals("HEAD"))));
            }
            return answers;
        }
    }

    private static String answer(int port, String method, int variant) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return SideBySide.masked(c.send(method + " /v" + variant + "/x HTTP/1.1\r\nHost: a\r\n\r\n")
                    .readResponse(method.equals("HEAD")));
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
