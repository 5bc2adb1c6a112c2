package io.jwtgate.authrequest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.access.AccessModule;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code auth_request} side by side with stock nginx, over real sockets, with an auth backend that records what it
 * receives: each status class, {@code WWW-Authenticate}, {@code auth_request_set} with {@code $upstream_http_*} and
 * {@code $upstream_status}, {@code off}, inheritance, {@code satisfy} with {@code allow}/{@code deny}, error pages,
 * and an auth service that hangs, answers megabytes, closes mid-body or before a head.
 */
class AuthRequestDifferentialTest {

    static final Supplier<List<HttpModule>> MODULES = () -> {
        List<HttpModule> m = new ArrayList<>(CoreModules.create());
        m.add(new AccessModule());
        m.addAll(ProxyModules.create());
        m.add(new AuthRequestModule());
        return m;
    };

    /** The auth backend of each side, by the side's listen port; it also serves the protected content. */
    private final Map<Integer, TestBackend> backends = new ConcurrentHashMap<>();

    @AfterEach
    void closeBackends() {
        backends.values().forEach(TestBackend::close);
    }

    private String http(int port) {
        TestBackend b = backends.computeIfAbsent(port, p -> TestBackend.start(AuthRequestDifferentialTest::answer));
        return """
                auth_request_set $user $upstream_http_x_user;
                auth_request_set $ustatus $upstream_status;
                server {
                    listen 127.0.0.1:%1$d;
                    auth_request /_auth;
                    add_header X-User "[$user]" always;
                    add_header X-Auth-Status "[$ustatus]" always;

                    # HTTP/1.1 streams a chunked body where jwtgate would refuse it with HTTP/1.0 (docs/proxy.md)
                    location / { proxy_pass http://127.0.0.1:%2$d/content; proxy_http_version 1.1; }
                    location /off { auth_request off; proxy_pass http://127.0.0.1:%2$d/content; }
                    location /own {
                        auth_request /_own;
                        auth_request_set $user "own-$upstream_http_x_user";
                        proxy_pass http://127.0.0.1:%2$d/content;
                    }
                    location /any-allow {
                        satisfy any; allow 127.0.0.1; deny all;
                        proxy_pass http://127.0.0.1:%2$d/content;
                    }
                    location /any-deny { satisfy any; deny all; proxy_pass http://127.0.0.1:%2$d/content; }
                    location /all-deny { deny all; proxy_pass http://127.0.0.1:%2$d/content; }
                    location /ep {
                        error_page 401 403 500 @denied;
                        proxy_pass http://127.0.0.1:%2$d/content;
                    }
                    location @denied { return 418 "denied [$user] $status\\n"; }
                    location /local-ok { auth_request /_local_ok; proxy_pass http://127.0.0.1:%2$d/content; }
                    location /local-302 { auth_request /_local_302; proxy_pass http://127.0.0.1:%2$d/content; }
                    location /local-401 { auth_request /_local_401; proxy_pass http://127.0.0.1:%2$d/content; }
                    location /docs-form {
                        auth_request /_bodyless;
                        proxy_pass http://127.0.0.1:%2$d/content;
                    }

                    location = /_auth {
                        internal;
                        proxy_pass http://127.0.0.1:%2$d/auth/$http_x_want;
                        proxy_read_timeout 1s;
                    }
                    location = /_local_ok { internal; return 204; }
                    location = /_local_302 { internal; return 302 /elsewhere; }
                    # add_header does not apply to a subrequest's response: no challenge reaches the client
                    location = /_local_401 {
                        internal;
                        add_header WWW-Authenticate "Basic realm=x" always;
                        return 401;
                    }
                    location = /_own { internal; proxy_pass http://127.0.0.1:%2$d/own/$http_x_want; }
                    location = /_bodyless {
                        internal;
                        proxy_pass http://127.0.0.1:%2$d/auth/$http_x_want;
                        proxy_pass_request_body off;
                        proxy_set_header Content-Length "";
                        proxy_set_header X-Original-URI $request_uri;
                        proxy_read_timeout 1s;
                    }
                }
                """.formatted(port, b.port());
    }

    /** The auth service: {@code /auth/<what>} answers as {@code what} says; anything else is the content. */
    static Reply answer(RecordedRequest r) {
        String uri = r.uri();
        if (!uri.startsWith("/auth/") && !uri.startsWith("/own/")) {
            return Reply.status(200, "content\n");
        }
        String want = uri.substring(uri.lastIndexOf('/') + 1);
        switch (want) {
            case "hang":
                return Reply.never();
            case "huge":
                return Reply.stream(16L << 20).header("X-User", "big");
            case "cut":
                return Reply.closeMidBody(200, 100_000, 10).header("X-User", "cut");
            case "close":
                return Reply.close();
            case "401two":
                return Reply.status(401, "no").header("WWW-Authenticate", "Bearer realm=\"a\"")
                        .header("WWW-Authenticate", "Basic realm=\"b\"");
            default:
                int code = Integer.parseInt(want);
                Reply reply = Reply.status(code, code == 204 ? "" : "auth says " + code).header("X-User", "alice");
                if (code == 401) {
                    reply = reply.header("WWW-Authenticate", "Bearer realm=\"api\"");
                }
                if (code == 302) {
                    reply = reply.header("Location", "http://login.test/");
                }
                return reply;
        }
    }

    /** Path and {@code X-Want}: what the auth service answers. */
    static final String[][] CASES = {
        {"/", "200"}, {"/", "204"}, {"/", "299"}, {"/", "401"}, {"/", "401two"}, {"/", "403"}, {"/", "404"},
        {"/", "500"}, {"/", "302"}, {"/", "304"}, {"/", "hang"}, {"/", "huge"}, {"/", "cut"}, {"/", "close"},
        {"/off", "403"},
        {"/own", "200"}, {"/own", "403"},
        {"/any-allow", "403"}, {"/any-deny", "200"}, {"/any-deny", "401"}, {"/any-deny", "403"},
        {"/any-deny", "500"}, {"/all-deny", "200"},
        {"/ep", "401"}, {"/ep", "403"}, {"/ep", "500"}, {"/ep", "200"},
        {"/local-ok", "403"}, {"/local-302", "200"}, {"/local-401", "200"},
    };

    @Test
    void answersAsNginx() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try (SideBySide pair = SideBySide.start(this::http, MODULES)) {
            List<String> diffs = new ArrayList<>();
            int allowed = 0;
            for (String[] c : CASES) {
                String request = "GET " + c[0] + "?q=1 HTTP/1.1\r\nHost: a.test\r\nX-Want: " + c[1]
                        + "\r\nConnection: close\r\n\r\n";
                String e = describe(pair.nginxPort(), request);
                String a = describe(pair.gatewayPort(), request);
                allowed += e.contains("content\n") ? 1 : 0;
                if (!e.equals(a)) {
                    diffs.add(c[0] + " " + c[1] + "\n   nginx:   " + e + "\n   jwtgate: " + a);
                }
            }
            assertThat(diffs).as("requests answered differently").isEmpty();
            assertThat(allowed).as("requests nginx let through").isEqualTo(11);
            // the auth service was asked as often, with the same requests, on both sides
            assertThat(received(pair.gatewayPort())).isEqualTo(received(pair.nginxPort()));
            List<String> expected = pair.nginxErrorMessages().stream()
                    .filter(m -> m.startsWith("auth request")).toList();
            assertThat(expected).hasSize(9).allMatch(m -> m.contains(", client: 127.0.0.1, server: , request: "))
                    .anyMatch(m -> m.startsWith("auth request unexpected status: 302, client"));
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                    .filteredOn(m -> m.startsWith("auth request"))
                    .containsExactlyElementsOf(expected);
        } finally {
            root.detachAppender(appender);
        }
    }

    /**
     * What the auth service receives for a request with a body: a {@code GET} of the auth URI with the client's
     * headers and never the body. With nginx's documented form ({@code proxy_pass_request_body off;
     * proxy_set_header Content-Length "";}) and for a chunked body both send no framing header at all. In the default
     * form nginx declares the client's {@code Content-Length} and sends nothing, so the service waits for a body that
     * never comes (here until {@code proxy_read_timeout}, then 500); jwtgate declares {@code Content-Length: 0}
     * (docs/auth_request.md#what-the-auth-service-receives).
     */
    @Test
    void theAuthServiceNeverGetsTheBody() throws Exception {
        try (SideBySide pair = SideBySide.start(this::http, MODULES)) {
            String[] sameOnBoth = {
                "POST /docs-form HTTP/1.1\r\nHost: a.test\r\nX-Want: 200\r\nContent-Length: 5\r\n"
                        + "Connection: close\r\n\r\nhello",
                "POST / HTTP/1.1\r\nHost: a.test\r\nX-Want: 200\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            };
            for (String request : sameOnBoth) {
                assertThat(describe(pair.gatewayPort(), request)).isEqualTo(describe(pair.nginxPort(), request))
                        .contains("content\n");
            }
            // (the content request differs: nginx buffers a chunked body and sends its length, jwtgate streams it)
            assertThat(receivedByAuth(pair.gatewayPort())).isEqualTo(receivedByAuth(pair.nginxPort()))
                    .doesNotContain("Content-Length", "Transfer-Encoding").contains("X-Original-URI: /docs-form")
                    .startsWith("GET /auth/200 HTTP/1.0");
            TestBackend nginxSide = backends.get(pair.nginxPort());
            TestBackend gatewaySide = backends.get(pair.gatewayPort());
            int before = nginxSide.requestCount();
            String plain = "POST / HTTP/1.1\r\nHost: a.test\r\nX-Want: 200\r\nContent-Length: 5\r\n"
                    + "Connection: close\r\n\r\nhello";
            assertThat(describe(pair.nginxPort(), plain)).startsWith("HTTP/1.1 500");
            // the backend records the cut request when it sees nginx close the connection, maybe just after the 500
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (nginxSide.requestCount() <= before && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            RecordedRequest n = nginxSide.requests().get(before);
            assertThat(n.isComplete()).isFalse();
            assertThat(n.header("Content-Length")).isEqualTo("5");
            assertThat(n.bodyLength()).isZero();
            assertThat(describe(pair.gatewayPort(), plain)).startsWith("HTTP/1.1 200").contains("content\n");
            RecordedRequest g = gatewaySide.requests().get(before);
            assertThat(g.method() + " " + g.uri()).isEqualTo("GET /auth/200");
            assertThat(g.isComplete()).isTrue();
            assertThat(g.header("Content-Length")).isEqualTo("0");
            assertThat(g.bodyLength()).isZero();
        }
    }

    private static String describe(int port, String request) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            RawResponse r = c.send(request).readResponse();
            return SideBySide.masked(r).replaceAll("(?m)^ETag: .*$", "ETag: *");
        }
    }

    /** What the side's backend received, in order: request line and headers, its own port masked. */
    private String received(int sidePort) {
        return received(sidePort, false);
    }

    private String receivedByAuth(int sidePort) {
        return received(sidePort, true);
    }

    private String received(int sidePort, boolean authOnly) {
        TestBackend b = backends.get(sidePort);
        return b.requests().stream().filter(r -> !authOnly || !r.uri().startsWith("/content"))
                .map(r -> r.method() + " " + r.uri() + " " + r.version() + " " + r.headers().entries().stream()
                        .map(h -> h.getKey() + ": " + h.getValue().replace(":" + b.port(), ":B"))
                        .collect(Collectors.joining(", ")) + " body " + r.bodyLength())
                .collect(Collectors.joining("\n"));
    }
}
