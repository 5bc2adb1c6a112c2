package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code proxy_next_upstream} against stock nginx, same upstream blocks over the same backends: a server that
 * refuses connections, resets, never answers (a socket the kernel accepts), sends a head too big, or answers
 * 500/502/503/403/404/429 (403 and 404 not counting against the server, the others counting); the
 * default cases, {@code off}, the status cases, {@code non_idempotent} for POST, {@code proxy_next_upstream_tries}
 * and {@code _timeout}, every server failed ({@code no live upstreams}). The status and the peers tried, with each
 * try's status ({@code $upstream_addr}, {@code $upstream_status}), and the error log lines must be nginx's.
 */
class NextUpstreamDifferentialTest {

    static final String HTTP = """
            upstream refused { server 127.0.0.1:%2$d; server %3$s; }
            upstream reset { server %4$s; server %3$s; }
            upstream resetp { server %4$s; server %3$s; }
            upstream resetq { server %4$s; server %3$s; }
            upstream hang { server 127.0.0.1:%5$d; server %3$s; }
            upstream hang2 { server 127.0.0.1:%5$d; server %3$s; }
            upstream s502 { server %6$s; server %3$s; }
            upstream s502d { server %6$s; server %3$s; }
            upstream s503 { server %7$s; server %8$s; }
            upstream s404 { server %9$s; server %3$s; }
            upstream s429 { server %10$s; server %3$s; }
            upstream s500 { server %11$s; server %3$s; }
            upstream s500p { server %11$s; server %3$s; }
            upstream three { server 127.0.0.1:%2$d; server 127.0.0.1:%12$d; server %3$s; }
            upstream dead { server 127.0.0.1:%2$d; server 127.0.0.1:%12$d; }
            upstream big { server %13$s; server %3$s; }
            upstream big2 { server %13$s; server %3$s; }
            upstream s403 { server %14$s; server %3$s; }
            upstream s503c { server %7$s; server %3$s; }
            upstream hangs { server 127.0.0.1:%5$d; server 127.0.0.1:%5$d max_fails=0; server %3$s; }
            server {
                listen 127.0.0.1:%1$d;
                add_header X-Addr $upstream_addr always;
                add_header X-Status $upstream_status always;
                location /refused { proxy_pass http://refused; }
                location /refused-off { proxy_next_upstream off; proxy_pass http://refused; }
                location /reset { proxy_pass http://reset; }
                location /reset-post { proxy_pass http://resetp; }
                location /reset-post-ok { proxy_next_upstream error non_idempotent; proxy_pass http://resetq; }
                location /hang { proxy_read_timeout 1s; proxy_pass http://hang; }
                location /hang-error-only { proxy_read_timeout 1s; proxy_next_upstream error; proxy_pass http://hang2; }
                location /s502 { proxy_next_upstream error timeout http_502; proxy_pass http://s502; }
                location /s502-default { proxy_pass http://s502d; }
                location /s503 { proxy_next_upstream http_503; proxy_pass http://s503; }
                location /s404 { proxy_next_upstream http_404; proxy_pass http://s404; }
                location /s429 { proxy_next_upstream http_429; proxy_pass http://s429; }
                location /s500 { proxy_next_upstream http_500; proxy_pass http://s500; }
                location /s500-post { proxy_next_upstream http_500; proxy_pass http://s500p; }
                location /tries { proxy_next_upstream_tries 2; proxy_pass http://three; }
                location /dead { proxy_pass http://dead; }
                location /big { proxy_next_upstream error invalid_header; proxy_pass http://big; }
                location /big-default { proxy_pass http://big2; }
                location /s403 { proxy_next_upstream http_403; proxy_pass http://s403; }
                location /s503c { proxy_next_upstream http_503; proxy_pass http://s503c; }
                location /timeout-limit {
                    proxy_read_timeout 1s;
                    proxy_next_upstream_timeout 500ms;
                    proxy_pass http://hangs;
                }
            }
            """;

    /**
     * Each request line in turn (some twice: the second sees the failures the first recorded). Only the POST to
     * {@code /reset-post} has a body: retrying a POST whose body was sent waits for request buffering; the others
     * show that a POST begun to be sent goes on only with {@code non_idempotent}.
     */
    static final String[] REQUESTS = {
        "GET /refused", "GET /refused", "GET /refused-off", "GET /reset", "POST /reset-post",
        "POST /reset-post-ok", "GET /hang", "GET /hang-error-only", "GET /s502", "GET /s502-default",
        "GET /s503", "GET /s404", "GET /s404", "GET /s429", "GET /s500", "POST /s500-post", "GET /tries",
        "GET /dead", "GET /dead", "GET /timeout-limit", "GET /big", "GET /big-default", "GET /s403",
        "GET /s403", "GET /s403", "GET /s503c", "GET /s503c", "GET /s503c",
    };

    static ServerSocket hanging;
    static final List<TestBackend> backends = new ArrayList<>();
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        int refused = TestGateway.freePort(); // nothing listens there
        int refused2 = TestGateway.freePort();
        hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // the kernel accepts, nobody answers
        TestBackend ok = backend(Reply.status(200, "ok"));
        TestBackend reset = backend(Reply.reset());
        Map<Integer, TestBackend> status = Map.of(502, backend(Reply.status(502, "bad")),
                503, backend(Reply.status(503, "unavailable")), 404, backend(Reply.status(404, "none")),
                429, backend(Reply.status(429, "slow down")), 500, backend(Reply.status(500, "broken")));
        TestBackend secondUnavailable = backend(Reply.status(503, "also unavailable"));
        TestBackend bigHead = backend(Reply.status(200, "big").header("X-Big", "a".repeat(16 * 1024)));
        TestBackend forbidden = backend(Reply.status(403, "forbidden"));
        pair = SideBySide.start(port -> HTTP.formatted(port, refused, ok.hostPort(), reset.hostPort(),
                hanging.getLocalPort(), status.get(502).hostPort(), status.get(503).hostPort(),
                secondUnavailable.hostPort(), status.get(404).hostPort(), status.get(429).hostPort(),
                status.get(500).hostPort(), refused2, bigHead.hostPort(), forbidden.hostPort()),
                Gateways.modules());
    }

    /** A backend with {@code reply}, answered once first so that a cold first answer cannot look like a timeout. */
    private static TestBackend backend(Reply reply) {
        TestBackend b = TestBackend.start().reply(reply);
        backends.add(b);
        try (RawHttpClient c = RawHttpClient.connect(b.port())) {
            c.send("GET /warm-up HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .isClosedByPeer(Duration.ofSeconds(5));
        }
        return b;
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        for (TestBackend b : backends) {
            b.close();
        }
        if (hanging != null) {
            hanging.close();
        }
    }

    @Test
    void triesThePeersNginxTriesAndLogsAsNginx() throws Exception {
        List<String> nginx = run(pair.nginxPort());
        Logger logger = (Logger) LoggerFactory.getLogger("jwtgate.proxy");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        List<String> gateway;
        try {
            gateway = run(pair.gatewayPort());
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(gateway).containsExactlyElementsOf(nginx);
        List<String> nginxErrors = pair.nginxErrorMessages();
        assertThat(nginxErrors).anyMatch(m -> m.startsWith("no live upstreams while connecting to upstream"));
        assertThat(appender.list.stream().filter(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList()).containsExactlyElementsOf(nginxErrors);
    }

    private static List<String> run(int port) {
        List<String> out = new ArrayList<>();
        for (String request : REQUESTS) {
            String body = !request.startsWith("POST") ? "\r\n"
                    : request.equals("POST /reset-post") ? "Content-Length: 4\r\n\r\nbody"
                    : "Content-Length: 0\r\n\r\n";
            try (RawHttpClient c = RawHttpClient.connect(port)) {
                RawResponse r = c.send(request + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n" + body)
                        .readResponse();
                out.add(request + " -> " + r.code() + " [" + r.header("X-Addr") + "] [" + r.header("X-Status") + "]"
                        + (r.code() == 200 || r.code() == 403 || r.code() == 404 || r.code() == 429
                                ? " " + r.bodyString() : ""));
            }
        }
        return out;
    }
}
