package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.PseudoRandomBytes;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 100 MiB bodies through the proxy in both directions arrive intact (SHA-256) without being buffered
 * ({@code proxy_buffering off}, {@code proxy_request_buffering off}). Buffering is
 * measured while the transfer runs, where it would show: the memory Netty's allocator holds (the proxy's buffers are
 * pooled and mostly direct, so heap alone would not see them) and the heap in use after the latest collection. Both
 * must stay far below the body size.
 */
class StreamingTest {

    static final long SIZE = 100L * 1024 * 1024;
    static final long LIMIT = 64L * 1024 * 1024;

    static TestBackend backend;
    static HashingBackend uploads;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start();
        uploads = new HashingBackend();
        gw = Gateways.start("", """
                        client_max_body_size 0;
                        proxy_buffering off;
                        proxy_request_buffering off;
                        location / { proxy_pass http://%1$s; }
                        location /v11/ { proxy_http_version 1.1; proxy_pass http://%1$s; }
                        location /up/ { proxy_pass http://%2$s; }
                        location /up11/ { proxy_http_version 1.1; proxy_pass http://%2$s; }
                """.formatted(backend.hostPort(), uploads.hostPort()));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        backend.close();
        uploads.close();
    }

    /** Samples memory in the background while a transfer runs and reports the peaks above the start. */
    static final class MemoryWatch implements AutoCloseable {
        final AtomicLong peakAllocator = new AtomicLong();
        final AtomicLong peakHeapAfterGc = new AtomicLong();
        final long baseAllocator = allocatorUsed();
        final long baseHeap;
        final Thread thread;
        volatile boolean running = true;

        MemoryWatch() {
            System.gc();
            baseHeap = heapAfterGc();
            thread = new Thread(() -> {
                while (running) {
                    peakAllocator.accumulateAndGet(allocatorUsed() - baseAllocator, Math::max);
                    peakHeapAfterGc.accumulateAndGet(heapAfterGc() - baseHeap, Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        static long allocatorUsed() {
            var metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            return metric.usedDirectMemory() + metric.usedHeapMemory();
        }

        static long heapAfterGc() {
            long used = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
                    used += p.getCollectionUsage().getUsed();
                }
            }
            return used;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
            System.gc();
            peakHeapAfterGc.accumulateAndGet(heapAfterGc() - baseHeap, Math::max);
        }
    }

    private static void assertNotBuffered(MemoryWatch w) {
        assertThat(w.peakAllocator.get()).as("allocator growth").isLessThan(LIMIT);
        assertThat(w.peakHeapAfterGc.get()).as("heap growth after GC").isLessThan(LIMIT);
    }

    @Test
    void uploadWithContentLength() throws Exception {
        String sent;
        RawResponse r;
        try (MemoryWatch w = new MemoryWatch(); RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.readTimeout(Duration.ofSeconds(60));
            c.send("POST /up/x HTTP/1.1\r\nHost: a\r\nContent-Length: " + SIZE + "\r\n\r\n");
            sent = c.sendBody(SIZE);
            r = c.readResponse();
            w.close();
            assertNotBuffered(w);
        }
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo(SIZE + " " + sent);
        assertThat(sent).isEqualTo(PseudoRandomBytes.sha256(SIZE));
        assertThat(uploads.lastHead).contains("Content-Length: " + SIZE);
    }

    @Test
    void uploadChunked() throws Exception {
        String sent;
        RawResponse r;
        try (MemoryWatch w = new MemoryWatch(); RawHttpClient c = RawHttpClient.connect(gw.port())) {
            c.readTimeout(Duration.ofSeconds(60));
            c.send("POST /up11/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            sent = c.sendChunkedBody(SIZE);
            r = c.readResponse();
            w.close();
            assertNotBuffered(w);
        }
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo(SIZE + " " + sent);
        assertThat(uploads.lastHead).contains("Transfer-Encoding: chunked").doesNotContain("Content-Length");
    }

    @Test
    void download() throws Exception {
        backend.reply(Reply.stream(SIZE));
        try {
            RawResponse r;
            try (MemoryWatch w = new MemoryWatch(); RawHttpClient c = RawHttpClient.connect(gw.port())) {
                c.readTimeout(Duration.ofSeconds(60));
                c.send("GET /down HTTP/1.1\r\nHost: a\r\n\r\n");
                r = c.readResponseDiscardingBody();
                w.close();
                assertNotBuffered(w);
            }
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.framing()).isEqualTo(RawResponse.Framing.CONTENT_LENGTH);
            assertThat(r.bodyLength()).isEqualTo(SIZE);
            assertThat(r.bodySha256()).isEqualTo(PseudoRandomBytes.sha256(SIZE));
        } finally {
            backend.reply(Reply.echo());
        }
    }

    @Test
    void downloadChunked() throws Exception {
        backend.reply(Reply.streamChunked(SIZE));
        try {
            RawResponse r;
            try (MemoryWatch w = new MemoryWatch(); RawHttpClient c = RawHttpClient.connect(gw.port())) {
                c.readTimeout(Duration.ofSeconds(60));
                c.send("GET /v11/down HTTP/1.1\r\nHost: a\r\n\r\n");
                r = c.readResponseDiscardingBody();
                w.close();
                assertNotBuffered(w);
            }
            assertThat(r.framing()).isEqualTo(RawResponse.Framing.CHUNKED);
            assertThat(r.isBodyComplete()).isTrue();
            assertThat(r.bodySha256()).isEqualTo(PseudoRandomBytes.sha256(SIZE));
        } finally {
            backend.reply(Reply.echo());
        }
    }
}
