package io.jwtgate.proxy;

import static io.jwtgate.proxy.ResponseBufferingTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.PseudoRandomBytes;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_request_buffering}: with it on (the default) the upstream is connected only once the whole body
 * arrived, through a temporary file in {@code client_body_temp_path} beyond {@code client_body_buffer_size}, removed
 * at the end or when the client leaves; the upstream gets the body's length even when the client sent it chunked,
 * and a failed peer's request goes again, body and all, to the next one. With it off the body streams. Every body is
 * checked by its SHA-256 at the upstream.
 */
class RequestBufferingTest {

    static final int SIZE = 200_000;

    @TempDir
    static Path temp;
    static HashingBackend uploads;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        uploads = new HashingBackend();
        gw = Gateways.start("", """
                        client_body_buffer_size 1k;
                        client_body_temp_path %s;
                        location /on/ { proxy_pass http://%s; }
                        location /off/ { proxy_request_buffering off; proxy_http_version 1.1; proxy_pass http://%2$s; }
                        location /keep/ {
                            client_body_in_file_only on;
                            add_header X-File $request_body_file;
                            proxy_pass http://%2$s;
                        }
                """.formatted(temp, uploads.hostPort()));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        uploads.close();
    }

    @Test
    void aChunkedBodyReachesTheUpstreamWithItsLength() throws Exception {
        int accepted = uploads.accepted.get();
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("POST /on/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            String sha = c.sendChunkedBody(SIZE);
            RawResponse r = c.readResponse();
            assertThat(r.bodyString()).isEqualTo(SIZE + " " + sha);
        }
        assertThat(uploads.accepted.get()).isEqualTo(accepted + 1);
        assertThat(uploads.lastHead).contains("Content-Length: " + SIZE).doesNotContain("chunked");
        await(() -> tempFiles().isEmpty(), Duration.ofSeconds(5));
    }

    @Test
    void theUpstreamIsConnectedOnlyOnceTheWholeBodyArrived() throws Exception {
        int accepted = uploads.accepted.get();
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("POST /on/x HTTP/1.1\r\nHost: a\r\nContent-Length: " + (SIZE + 5) + "\r\n\r\n");
            c.sendBody(SIZE);
            await(() -> tempFiles().size() == 1, Duration.ofSeconds(5));
            Thread.sleep(300);
            assertThat(uploads.accepted.get()).as("connections to the upstream").isEqualTo(accepted);
            c.send("12345");
            RawResponse r = c.readResponse();
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo((SIZE + 5) + " " + sha256(SIZE, "12345"));
        }
        await(() -> tempFiles().isEmpty(), Duration.ofSeconds(5));
    }

    @Test
    void withRequestBufferingOffTheBodyStreams() throws Exception {
        int accepted = uploads.accepted.get();
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("POST /off/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            await(() -> uploads.accepted.get() == accepted + 1, Duration.ofSeconds(5));
            c.send("0\r\n\r\n");
            assertThat(c.readResponse().bodyString()).startsWith("5 ");
        }
        assertThat(uploads.lastHead).contains("Transfer-Encoding: chunked");
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void theTemporaryFileIsRemovedWhenTheClientLeaves() throws Exception {
        int accepted = uploads.accepted.get();
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("POST /on/x HTTP/1.1\r\nHost: a\r\nContent-Length: " + (2 * SIZE) + "\r\n\r\n");
            c.sendBody(SIZE);
            await(() -> tempFiles().size() == 1, Duration.ofSeconds(5));
        }
        await(() -> tempFiles().isEmpty(), Duration.ofSeconds(5));
        assertThat(uploads.accepted.get()).isEqualTo(accepted);
    }

    @Test
    void clientBodyInFileOnlyKeepsTheFileNamedByRequestBodyFile() throws Exception {
        RawResponse r;
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            r = c.send("POST /keep/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello").readResponse();
        }
        assertThat(r.bodyString()).startsWith("5 ");
        Path file = Path.of(r.header("X-File"));
        assertThat(file.getParent()).isEqualTo(temp);
        Thread.sleep(200);
        assertThat(Files.readString(file)).isEqualTo("hello");
        Files.delete(file);
    }

    @Test
    void aBufferedBodyGoesAgainToTheNextPeer() throws Exception {
        try (TestBackend first = TestBackend.start().reply(Reply.reset());
                TestBackend second = TestBackend.start();
                TestGateway g = Gateways.start("upstream u { server " + first.hostPort() + "; server "
                        + second.hostPort() + "; }", "client_body_buffer_size 1k; client_body_temp_path " + temp
                        + "; location / { proxy_next_upstream error timeout non_idempotent; proxy_pass http://u; }")) {
            // a POST the failed peer had goes on only with non_idempotent, as in nginx
            for (int size : new int[] {5, SIZE}) {
                try (RawHttpClient c = RawHttpClient.connect(g.port())) {
                    c.send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n");
                    String sha = c.sendBody(size);
                    assertThat(c.readResponse().code()).isEqualTo(200);
                    RecordedRequest got = second.lastRequest();
                    assertThat(got.bodyLength()).isEqualTo(size);
                    assertThat(got.bodySha256()).isEqualTo(sha);
                }
                assertThat(first.requestCount()).as("the failed peer had the request").isPositive();
            }
        }
    }

    /** The SHA-256 of {@code n} {@link PseudoRandomBytes} followed by {@code tail}. */
    static String sha256(int n, String tail) throws Exception {
        byte[] body = new byte[n];
        new PseudoRandomBytes().nextBytes(body, 0, n);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(body);
        sha.update(tail.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha.digest());
    }

    static List<Path> tempFiles() {
        try (Stream<Path> s = Files.list(temp)) {
            return s.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
