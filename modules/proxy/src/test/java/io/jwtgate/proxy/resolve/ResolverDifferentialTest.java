package io.jwtgate.proxy.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code proxy_pass} with variables that name a host, resolved at request time through {@code resolver}, against
 * stock nginx using the same DNS server ({@link DnsResponder}) and backend: which backend gets the request and with
 * which {@code Host}, the status, and the error line for NXDOMAIN, an empty answer, a server failure, a resolver
 * that does not answer within {@code resolver_timeout}, and no {@code resolver} at all; a truncated answer asked
 * again over TCP; answers kept for their TTL, or for {@code valid=}; a name that is an {@code upstream} block or the
 * implicit upstream of a constant {@code proxy_pass} needing no resolver. Each case uses its own names, so that the
 * caches of the two servers start alike.
 */
class ResolverDifferentialTest {

    private static final String HTTP = """
            resolver_timeout 1s;
            upstream pool { server 127.0.0.1:%3$d; }
            server {
                listen 127.0.0.1:%1$d;
                location / { resolver 127.0.0.1:%2$d; proxy_pass http://$arg_h:%3$d; }
                location /v4/ { resolver 127.0.0.1:%2$d ipv6=off; proxy_pass http://$arg_h:%3$d/x/; }
                location /valid/ { resolver 127.0.0.1:%2$d valid=30s; proxy_pass http://$arg_h:%3$d; }
                location /default-port/ { resolver 127.0.0.1:%2$d; proxy_pass http://$arg_h; }
                location /set/ {
                    resolver 127.0.0.1:%2$d;
                    set $up http://svc-set.test:%3$d;
                    proxy_pass $up;
                }
                location /none/ { proxy_pass http://$arg_h:%3$d; }
                location /none-no-port/ { proxy_pass http://$arg_h; }
                location /const/ { proxy_pass http://localhost:%3$d; }
            }
            """;

    private static DnsResponder dns;
    private static TestBackend backend;
    private static SideBySide both;
    private static ListAppender<ILoggingEvent> log;

    @BeforeAll
    static void start() throws Exception {
        dns = DnsResponder.start();
        backend = TestBackend.start();
        both = SideBySide.start(port -> HTTP.formatted(port, dns.port(), backend.port()), () -> {
            List<HttpModule> all = new ArrayList<>(CoreModules.create());
            all.addAll(ProxyModules.create());
            return all;
        });
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);
        // the responder's first answers can take longer than the 1s resolver_timeout while its classes load
        dns.answer("warm.test", 60, "127.0.0.1");
        for (int port : ports()) {
            RawHttpClient.get(port, "/?h=warm.test");
        }
        while (backend.takeRequest(Duration.ofMillis(200)) != null) {
            // drained
        }
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        try {
            both.close();
        } finally {
            backend.close();
            dns.close();
        }
    }

    @Test
    void resolvedNameGoesToItsAddressWithTheUrlHostAsHost() {
        dns.answer("svc.test", 60, "127.0.0.1");
        dns.answer("v4.test", 60, "127.0.0.1");
        dns.answer("svc-set.test", 60, "127.0.0.1");
        for (String path : new String[] {"/?h=svc.test", "/v4/a?h=v4.test", "/set/b"}) {
            List<String> seen = new ArrayList<>();
            for (int port : ports()) {
                RawResponse r = RawHttpClient.get(port, path);
                assertThat(r.code()).as(path).isEqualTo(200);
                RecordedRequest got = backend.takeRequest(Duration.ofSeconds(5));
                seen.add(got.method() + " " + got.uri() + " Host: " + got.header("Host"));
            }
            assertThat(seen.get(1)).as(path).isEqualTo(seen.get(0));
        }
        assertThat(dns.udpQueries("svc.test")).as("one query each, then the cache").isEqualTo(2);
    }

    @Test
    void failedResolutionIs502WithNginxsLine() throws IOException {
        dns.answer("nx.test", DnsResponder.Kind.NXDOMAIN);
        dns.answer("empty.test", DnsResponder.Kind.EMPTY);
        dns.answer("fail.test", DnsResponder.Kind.SERVFAIL);
        dns.answer("silent.test", DnsResponder.Kind.SILENT);
        List<String> names = List.of("nx.test", "empty.test", "fail.test", "silent.test");
        for (String name : names) {
            assertSameAnswerAndLine("/?h=" + name, 502, name + " could not be resolved");
        }
        assertThat(resolveFailures(both.nginxErrorMessages(), names)).containsExactly(
                "nx.test could not be resolved (3: Host not found)",
                "empty.test could not be resolved (3: Host not found)",
                "fail.test could not be resolved (2: Server failure)",
                "silent.test could not be resolved (110: Operation timed out)");
    }

    @Test
    void noResolverIs502WithNginxsLine() throws IOException {
        dns.answer("unresolved.test", 60, "127.0.0.1");
        assertSameAnswerAndLine("/none/?h=unresolved.test", 502, "no resolver defined to resolve unresolved.test");
        assertThat(dns.udpQueries("unresolved.test")).isZero();
    }

    @Test
    void upstreamBlockAndImplicitUpstreamNeedNoResolver() {
        for (String path : new String[] {"/none-no-port/?h=pool", "/none/?h=localhost"}) {
            for (int port : ports()) {
                assertThat(RawHttpClient.get(port, path).code()).as(path).isEqualTo(200);
                assertThat(backend.takeRequest(Duration.ofSeconds(5))).isNotNull();
            }
        }
    }

    @Test
    void truncatedAnswerIsAskedAgainOverTcp() {
        dns.truncated("big.test", 60, "127.0.0.1");
        for (int port : ports()) {
            assertThat(RawHttpClient.get(port, "/?h=big.test").code()).isEqualTo(200);
            assertThat(backend.takeRequest(Duration.ofSeconds(5))).isNotNull();
        }
        assertThat(dns.tcpQueries("big.test")).isEqualTo(2);
    }

    @Test
    void everyAddressIsTriedInTurn() {
        // nothing listens on 127.0.0.2: each request reaches the backend, after a refused connection or not
        dns.answer("two.test", 60, "127.0.0.2", "127.0.0.1");
        for (int i = 0; i < 4; i++) {
            for (int port : ports()) {
                assertThat(RawHttpClient.get(port, "/?h=two.test").code()).isEqualTo(200);
                assertThat(backend.takeRequest(Duration.ofSeconds(5))).isNotNull();
            }
        }
    }

    @Test
    void answersLiveForTheirTtlOrForValid() throws Exception {
        dns.answer("short.test", 1, "127.0.0.1");
        dns.answer("kept.test", 1, "127.0.0.1");
        for (int port : ports()) {
            assertThat(RawHttpClient.get(port, "/?h=short.test").code()).isEqualTo(200);
            assertThat(RawHttpClient.get(port, "/valid/?h=kept.test").code()).isEqualTo(200);
        }
        dns.answer("short.test", DnsResponder.Kind.NXDOMAIN);
        dns.answer("kept.test", DnsResponder.Kind.NXDOMAIN);
        for (int port : ports()) {
            assertThat(RawHttpClient.get(port, "/?h=short.test").code()).as("within the TTL").isEqualTo(200);
        }
        Thread.sleep(2_100);
        for (int port : ports()) {
            assertThat(RawHttpClient.get(port, "/?h=short.test").code()).as("TTL over").isEqualTo(502);
            assertThat(RawHttpClient.get(port, "/valid/?h=kept.test").code()).as("valid=30s").isEqualTo(200);
        }
        while (backend.takeRequest(Duration.ofMillis(100)) != null) {
            // drained
        }
    }

    @Test
    void defaultPortIsTheSchemes() {
        dns.answer("port.test", 60, "127.0.0.1");
        for (int port : ports()) {
            // port 80 on 127.0.0.1 has no listener here: both try it and answer 502
            RawResponse r = RawHttpClient.get(port, "/default-port/?h=port.test");
            assertThat(r.code()).isEqualTo(502);
        }
    }

    private static int[] ports() {
        return new int[] {both.nginxPort(), both.gatewayPort()};
    }

    private static void assertSameAnswerAndLine(String path, int status, String linePrefix) throws IOException {
        for (int port : ports()) {
            assertThat(RawHttpClient.get(port, path).code()).as(path + " on " + port).isEqualTo(status);
        }
        List<String> nginx = lines(both.nginxErrorMessages(), linePrefix);
        assertThat(nginx).hasSize(1);
        assertThat(lines(log.list.stream().map(ILoggingEvent::getFormattedMessage).toList(), linePrefix))
                .containsExactlyElementsOf(nginx);
    }

    /** The messages that start with {@code prefix}, whole (with the request context). */
    private static List<String> lines(List<String> messages, String prefix) {
        return messages.stream().filter(m -> m.startsWith(prefix)).toList();
    }

    /** The messages about a failed resolution of one of {@code names}, without the request context. */
    private static List<String> resolveFailures(List<String> messages, List<String> names) {
        return messages.stream().filter(m -> names.stream().anyMatch(n -> m.startsWith(n + " could not be resolved")))
                .map(m -> m.substring(0, m.indexOf(", client: "))).toList();
    }
}
