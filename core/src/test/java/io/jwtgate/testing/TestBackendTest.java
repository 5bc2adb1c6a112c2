package io.jwtgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RawHttpClient} against {@link TestBackend}, over real sockets. */
class TestBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long MIB = 1024 * 1024;

    private TestBackend backend;

    @BeforeEach
    void start() {
        backend = TestBackend.start();
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void echoDescribesTheRequest() {
        RawResponse res = RawHttpClient.get(backend.port(), "/a/b?x=%41&y", "X-Multi: one", "x-multi: two");

        assertThat(res.code()).isEqualTo(200);
        assertThat(res.framing()).isEqualTo(RawResponse.Framing.CONTENT_LENGTH);
        assertThat(res.isBodyComplete()).isTrue();
        assertThat(res.header("content-type")).isEqualTo("application/json");
        assertThat(res.bodyString()).isEqualTo("{\"method\":\"GET\",\"uri\":\"/a/b?x=%41&y\",\"version\":\"HTTP/1.1\","
                + "\"headers\":{\"Host\":[\"localhost\"],\"X-Multi\":[\"one\",\"two\"],\"Connection\":[\"close\"]},"
                + "\"bodyLength\":0,\"bodySha256\":\"" + PseudoRandomBytes.sha256(0) + "\"}");

        RecordedRequest req = backend.takeRequest(WAIT);
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.uri()).isEqualTo("/a/b?x=%41&y");
        assertThat(req.headers("X-MULTI")).containsExactly("one", "two");
        assertThat(req.headers().entries()).extracting(e -> e.getKey())
                .containsExactly("Host", "X-Multi", "x-multi", "Connection");
        assertThat(req.isComplete()).isTrue();
        assertThat(backend.requestCount()).isEqualTo(1);
        assertThat(backend.lastRequest()).isSameAs(req);
    }

    @Test
    void smallBodyIsKept() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            RawResponse res =
                    client.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").readResponse();
            assertThat(res.bodyString()).contains("\"bodyLength\":5");
        }
        assertThat(backend.takeRequest(WAIT).bodyString()).isEqualTo("hello");
    }

    @Test
    void keepAliveServesTwoRequestsOnOneConnection() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            assertThat(client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().code()).isEqualTo(200);
            assertThat(client.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().code()).isEqualTo(200);
            assertThat(client.isClosedByPeer(Duration.ofMillis(100))).isFalse();
        }
        assertThat(backend.acceptedConnections()).isEqualTo(1);
        assertThat(backend.requests()).extracting(RecordedRequest::connectionId).containsExactly(1, 1);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(client.readResponse().bodyString()).contains("\"uri\":\"/1\"");
            RawResponse second = client.readResponse();
            assertThat(second.bodyString()).contains("\"uri\":\"/2\"");
            assertThat(second.header("Connection")).isEqualTo("close");
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void http10IsAnsweredAndClosed() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            RawResponse res = client.send("GET /old HTTP/1.0\r\n\r\n").readResponse();
            assertThat(res.version()).isEqualTo("HTTP/1.0");
            assertThat(res.isBodyComplete()).isTrue();
            assertThat(client.isClosedByPeer()).isTrue();
        }
        backend.reply(Reply.chunked(200, List.of("a", "b")));
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            RawResponse res = client.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse();
            assertThat(res.framing()).isEqualTo(RawResponse.Framing.UNTIL_CLOSE);
            assertThat(res.bodyString()).isEqualTo("ab");
        }
    }

    @Test
    void headGetsNoBody() {
        backend.reply(Reply.status(200, "twelve bytes"));
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            RawResponse res = client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse(true);
            assertThat(res.header("Content-Length")).isEqualTo("12");
            assertThat(res.bodyLength()).isZero();
            assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().bodyString())
                    .isEqualTo("twelve bytes");
        }
    }

    @Test
    void statusReplyWithHeaders() {
        backend.reply(Reply.status(503, "busy").header("Retry-After", "3").header("Set-Cookie", "a=1")
                .header("Set-Cookie", "b=2"));
        RawResponse res = RawHttpClient.get(backend.port(), "/");
        assertThat(res.code()).isEqualTo(503);
        assertThat(res.headers("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(res.header("Retry-After")).isEqualTo("3");
        assertThat(res.bodyString()).isEqualTo("busy");
    }

    @Test
    void chunkedReply() {
        backend.reply(Reply.chunked(201, List.of("hello, ", "", "world")));
        RawResponse res = RawHttpClient.get(backend.port(), "/");
        assertThat(res.code()).isEqualTo(201);
        assertThat(res.framing()).isEqualTo(RawResponse.Framing.CHUNKED);
        assertThat(res.isBodyComplete()).isTrue();
        assertThat(res.bodyString()).isEqualTo("hello, world");
        assertThat(res.trailers().size()).isZero();
    }

    @Test
    void stream10MiB() {
        backend.reply(Reply.stream(10 * MIB));
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            RawResponse res = client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n").readResponseDiscardingBody();
            assertThat(res.header("Content-Length")).isEqualTo(String.valueOf(10 * MIB));
            assertThat(res.isBodyComplete()).isTrue();
            assertThat(res.bodyLength()).isEqualTo(10 * MIB);
            assertThat(res.bodySha256()).isEqualTo(PseudoRandomBytes.sha256(10 * MIB));
            assertThatThrownBy(res::body).isInstanceOf(IllegalStateException.class);
            // the connection is reusable after a streamed body
            backend.reply(Reply.streamChunked(MIB + 7));
            RawResponse chunked = client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
            assertThat(chunked.framing()).isEqualTo(RawResponse.Framing.CHUNKED);
            assertThat(chunked.bodySha256()).isEqualTo(PseudoRandomBytes.sha256(MIB + 7));
        }
        assertThat(backend.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void closeMidBodyIsIncomplete() {
        backend.reply(Reply.closeMidBody(200, 1000, 300));
        RawResponse res = RawHttpClient.get(backend.port(), "/");
        assertThat(res.header("Content-Length")).isEqualTo("1000");
        assertThat(res.isBodyComplete()).isFalse();
        assertThat(res.incompleteReason()).isEqualTo("eof");
        assertThat(res.bodyLength()).isEqualTo(300);
    }

    @Test
    void resetAndCloseAnswerNothing() {
        backend.reply(Reply.reset());
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThatThrownBy(client::readResponse).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        backend.reply(Reply.close());
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThatThrownBy(client::readResponse).hasCauseInstanceOf(EOFException.class);
        }
        assertThat(backend.requestCount()).isEqualTo(2);
    }

    @Test
    void garbageIsNotHttp() {
        backend.reply(Reply.garbage());
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThatThrownBy(client::readResponse).hasMessageContaining("malformed status line");
        }
    }

    @Test
    void neverAndDelay() {
        backend.reply(Reply.never());
        try (RawHttpClient client = RawHttpClient.connect(backend.port()).readTimeout(Duration.ofMillis(200))) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThatThrownBy(client::readResponse).hasMessageContaining("timed out");
        }
        backend.reply(Reply.delay(Duration.ofMillis(150), Reply.status(204, "")));
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            long start = System.nanoTime();
            RawResponse res = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(res.code()).isEqualTo(204);
            assertThat(res.framing()).isEqualTo(RawResponse.Framing.NONE);
        }
    }

    @Test
    void expectContinue() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("PUT /u HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.readResponse().code()).isEqualTo(100);
            assertThat(client.send("abc").readResponse().code()).isEqualTo(200);
        }
        assertThat(backend.takeRequest(WAIT).header("expect")).isEqualTo("100-continue");
    }

    @Test
    void malformedRequestGets400() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            RawResponse res = client.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n").readResponse();
            assertThat(res.code()).isEqualTo(400);
            assertThat(client.isClosedByPeer()).isTrue();
        }
        assertThat(backend.requestCount()).isZero();
    }

    @Test
    void upload100MiBHashesEqualOnBothSides() {
        long size = 100 * MIB;
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            String sent = client.sendBody(size);
            assertThat(client.readResponse().code()).isEqualTo(200);
            RecordedRequest req = backend.takeRequest(WAIT);
            assertThat(req.bodyLength()).isEqualTo(size);
            assertThat(req.bodySha256()).isEqualTo(sent).isEqualTo(PseudoRandomBytes.sha256(size));
            assertThat(req.isBodyKept()).isFalse();

            client.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunkedSent = client.sendChunkedBody(3 * MIB + 1);
            assertThat(client.readResponse().code()).isEqualTo(200);
            assertThat(backend.takeRequest(WAIT).bodySha256()).isEqualTo(chunkedSent);
        }
    }

    @Test
    void abortedUploadIsRecordedIncomplete() {
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-part");
        }
        RecordedRequest req = backend.takeRequest(WAIT);
        assertThat(req.isComplete()).isFalse();
        assertThat(req.bodyString()).isEqualTo("only-part");
    }

    @Test
    void behaviourSequenceAndSplitRequest() throws InterruptedException {
        backend.behaviour(Behaviour.sequence(Reply.status(502, "first"), Reply.status(200, "then")));
        try (RawHttpClient client = RawHttpClient.connect(backend.port())) {
            client.send("GET / HT");
            Thread.sleep(50); // the split is the point of this test
            client.send("TP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.readResponse().code()).isEqualTo(502);
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.readResponse().code()).isEqualTo(200);
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.readResponse().bodyString()).isEqualTo("then");
        }
    }

    @Test
    void closeLeavesNoThreadsOrConnections() {
        TestBackend other = TestBackend.start();
        RawHttpClient client = RawHttpClient.connect(other.port());
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
        other.close();
        assertThat(client.isClosedByPeer()).isTrue();
        client.close();
        backend.close();
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
                .extracting(Thread::getName).noneMatch(name -> name.startsWith("jwtgate-test-backend"));
    }
}
