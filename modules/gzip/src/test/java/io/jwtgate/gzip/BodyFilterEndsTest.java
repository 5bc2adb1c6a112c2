package io.jwtgate.gzip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.http.BodyFilter;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.ResponseHeaders;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core closes a response's body filters (and with them gzip's {@code Deflater}) however the response ends: the
 * client going away mid-compression, the upstream dying mid-body, a HEAD request, a whole response. A probe filter
 * installed after gzip's on the same responses counts the filters opened and closed.
 */
class BodyFilterEndsTest {

    static final AtomicInteger opened = new AtomicInteger();
    static final AtomicInteger closed = new AtomicInteger();

    /** Passes the body on unchanged and counts. */
    static final class Probe implements BodyFilter {
        private ByteBuf in;
        private boolean done;

        Probe() {
            opened.incrementAndGet();
        }

        @Override
        public void offer(ByteBuf piece, boolean last) {
            in = piece;
        }

        @Override
        public ByteBuf poll(ByteBufAllocator alloc) {
            ByteBuf out = in;
            in = null;
            return out;
        }

        @Override
        public void close() {
            assertThat(done).as("closed twice").isFalse();
            done = true;
            closed.incrementAndGet();
            if (in != null) {
                in.release();
            }
        }
    }

    /** Installs a {@link Probe} on every response that gzip compresses. */
    static final class ProbeModule extends HttpModule {
        ProbeModule() {
            super("probe");
        }

        @Override
        public List<Directive> directives() {
            return List.of();
        }

        @Override
        public void postconfiguration(HttpInit init) {
            init.addHeaderFilter((HttpExchange x, int status, ResponseHeaders h) -> {
                if ("gzip".equals(h.get("Content-Encoding"))) {
                    x.addBodyFilter(new Probe());
                }
            });
        }
    }

    static TestBackend backend;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(r -> switch (r.uri()) {
            case "/big" -> Reply.stream(256L << 20);
            case "/dies" -> Reply.closeMidBody(200, 1 << 20, 200_000);
            default -> Reply.status(200, "a small answer, long enough to be compressed");
        });
        gateway = TestGateway.start("events {} http { gzip on; gzip_types *; server { listen 127.0.0.1:"
                + TestGateway.freePort() + "; location / { proxy_pass http://" + backend.hostPort() + "; }"
                + " location = /missing { return 404; } } }", () -> {
                    List<HttpModule> all = new ArrayList<>(GzipTesting.modules().get());
                    all.add(new ProbeModule());
                    return all;
                });
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    static void request(String request, int readBytes) throws Exception {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int got = 0;
            while (got < readBytes) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got += n;
            }
        }
    }

    static void closesEveryOpened(int expectedOpened) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((opened.get() < expectedOpened || closed.get() != opened.get()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(opened.get()).isEqualTo(expectedOpened);
        assertThat(closed.get()).isEqualTo(expectedOpened);
    }

    @Test
    void everyEndClosesTheFilters() throws Exception {
        int before = opened.get();
        // the client leaves mid-compression of 256 MiB
        request("GET /big HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n", 256 * 1024);
        closesEveryOpened(before + 1);
        // the upstream dies mid-body
        request("GET /dies HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
                Integer.MAX_VALUE);
        closesEveryOpened(before + 2);
        // HEAD: the filters are closed at once
        assertThat(RawHttpClient.connect(gateway.port()).send("HEAD /small HTTP/1.1\r\nHost: x\r\n"
                + "Accept-Encoding: gzip\r\nConnection: close\r\n\r\n").readResponse(true).header("Content-Encoding"))
                .isEqualTo("gzip");
        closesEveryOpened(before + 3);
        // whole responses: the upstream's and the gateway's own page
        RawResponse small = RawHttpClient.get(gateway.port(), "/small", "Accept-Encoding: gzip");
        assertThat(small.header("Content-Encoding")).isEqualTo("gzip");
        // through two filters, gzip's and the probe after it
        assertThat(GzipTesting.body(small)).isEqualTo("a small answer, long enough to be compressed");
        assertThat(RawHttpClient.get(gateway.port(), "/missing", "Accept-Encoding: gzip").code()).isEqualTo(404);
        closesEveryOpened(before + 5);
    }
}
