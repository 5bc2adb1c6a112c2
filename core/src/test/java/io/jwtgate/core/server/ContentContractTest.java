package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.moduletest.StreamingModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The content contract over a real socket, through {@link StreamingModule}, a module that sees only the public
 * interface: a streamed response in several chunks, the same response to {@code HEAD} cut to its head by the core, a
 * request body read piece by piece and streamed back, and a request ended by {@code finalizeRequest} when its body
 * cannot be read.
 */
class ContentContractTest {

    private static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start("""
                worker_processes 1;
                events { worker_connections 64; }
                http {
                    server {
                        listen 127.0.0.1:%d;
                        client_max_body_size 1k;
                        location /stream { stream_test 5; }
                        location /none { stream_test 0; }
                    }
                }
                """.formatted(TestGateway.freePort()), () -> {
                    List<HttpModule> all = new ArrayList<>(CoreModules.create());
                    all.add(new StreamingModule());
                    return all;
                });
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void aStreamedResponseArrivesInChunks() {
        RawResponse r = RawHttpClient.get(gw.port(), "/stream");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.framing()).isEqualTo(RawResponse.Framing.CHUNKED);
        assertThat(r.isBodyComplete()).isTrue();
        assertThat(r.bodyString()).isEqualTo("chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n");
    }

    /** The module streams its chunks for HEAD too; the core sends the head as the module set it and nothing else. */
    @Test
    void aResponseToHeadIsTheHeadOnlyAndTheConnectionGoesOn() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("HEAD /stream HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse head = c.readResponse(true);
            assertThat(head.code()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(head.header("Connection")).isEqualTo("keep-alive");
            // a stray chunk or "0\r\n\r\n" would be read as the start of the next response
            c.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse next = c.readResponse();
            assertThat(next.code()).isEqualTo(200);
            assertThat(next.bodyString()).isEqualTo("chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n");
        }
    }

    @Test
    void theRequestBodyIsReadPieceByPieceAndStreamedBack() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("POST /none HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.framing()).isEqualTo(RawResponse.Framing.CHUNKED);
            assertThat(r.bodyString()).isEqualTo("hello world");
            // the connection stays usable: the response ended whole
            c.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyString()).startsWith("chunk 0\n");
        }
    }

    @Test
    void aBodyThatCannotBeReadEndsTheRequestWithTheCoresStatus() {
        try (RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.send("POST /stream HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "800\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.code()).isEqualTo(413);
            assertThat(r.bodyString()).contains("413 Request Entity Too Large");
        }
    }
}
