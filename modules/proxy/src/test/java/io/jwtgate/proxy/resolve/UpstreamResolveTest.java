package io.jwtgate.proxy.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code server name resolve} in an {@code upstream} with a {@code zone} (nginx 1.27.3's; stock nginx 1.22 has no
 * such parameter, so this is no differential test): the group's peers follow the DNS answers as their TTL runs out,
 * NXDOMAIN empties the group ({@code no live upstreams}), and the start-up errors nginx 1.27.3 gives.
 */
class UpstreamResolveTest {

    private static final String HTTP = """
            resolver 127.0.0.1:%d;
            resolver_timeout 5s;
            upstream svc { zone svc 64k; server svc.test:%d resolve; }
            server {
                listen 127.0.0.1:%d;
                location / { proxy_pass http://svc; }
            }
            """;

    @Test
    void peersFollowTheAnswers() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        int port = TestGateway.freePort();
        try (DnsResponder dns = DnsResponder.start(); TestBackend backend = TestBackend.start();
                TestGateway gw = TestGateway.start("events { }\nhttp {\n"
                        + HTTP.formatted(dns.port(), backend.port(), port) + "}\n",
                        ResolverConfigErrorsTest.MODULES)) {
            root.addAppender(log);
            // first nothing listens at the answer's address, then the backend's address comes, then the name goes
            dns.answer("svc.test", 1, "127.0.0.2");
            assertThat(RawHttpClient.get(port, "/").code()).as("the first answer's peer refuses").isEqualTo(502);
            assertThat(backend.requestCount()).isZero();

            dns.answer("svc.test", 1, "127.0.0.1");
            assertThat(RawHttpClient.get(port, "/").code()).as("within the TTL").isEqualTo(502);
            assertThat(eventually(port, 200)).as("after the TTL, the new address").isTrue();
            assertThat(backend.requestCount()).isPositive();

            dns.answer("svc.test", DnsResponder.Kind.NXDOMAIN);
            assertThat(eventually(port, 502)).as("after NXDOMAIN, no peer").isTrue();
            assertThat(log.list.stream().map(ILoggingEvent::getFormattedMessage))
                    .contains("svc.test could not be resolved (3: Host not found)")
                    .anyMatch(m -> m.startsWith("no live upstreams while connecting to upstream"));
            assertThat(dns.udpQueries("svc.test")).as("about one query a second, not one per request")
                    .isLessThan(20);
        } finally {
            root.detachAppender(log);
        }
    }

    @Test
    void anUnchangedAnswerKeepsThePeersAndTheirFailures() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        int port = TestGateway.freePort();
        try (DnsResponder dns = DnsResponder.start(); TestBackend backend = TestBackend.start();
                TestGateway gw = TestGateway.start("events { }\nhttp {\n"
                        + HTTP.formatted(dns.port(), backend.port(), port).replace(" resolve;",
                                " resolve fail_timeout=30s;") + "}\n",
                        ResolverConfigErrorsTest.MODULES)) {
            root.addAppender(log);
            // nothing listens on .2 and .3; the resolver hands the three out in a new order each time
            dns.answer("svc.test", 1, "127.0.0.2", "127.0.0.3", "127.0.0.1");
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (dns.udpQueries("svc.test") < 4 && System.nanoTime() < end) {
                assertThat(RawHttpClient.get(port, "/").code()).isEqualTo(200);
                Thread.sleep(100);
            }
            assertThat(RawHttpClient.get(port, "/").code()).isEqualTo(200);
            assertThat(dns.udpQueries("svc.test")).as("asked again as the TTL ran out").isGreaterThanOrEqualTo(4);
            assertThat(log.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith("connect() failed"))).as("each refusing peer failed once, "
                            + "then stayed out for fail_timeout across the answers").hasSize(2);
        } finally {
            root.detachAppender(log);
        }
    }

    /** Whether a request gets {@code status} within 8 seconds, asking every 100 ms. */
    private static boolean eventually(int port, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < deadline) {
            if (RawHttpClient.get(port, "/").code() == status) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void resolveNeedsAZoneAndAResolver() throws Exception {
        ConfException noZone = TestGateway.configError("events { }\nhttp {\nresolver 127.0.0.1;\n"
                + "upstream u { server svc.test resolve; }\nserver { listen 127.0.0.1:1; }\n}\n",
                ResolverConfigErrorsTest.MODULES);
        assertThat(noZone.getMessage()).matches(
                "resolving names at run time requires upstream \"u\" in .*nginx.conf:4 to be in shared memory");
        ConfException noResolver = TestGateway.configError("events { }\nhttp {\n"
                + "upstream u { zone u 64k; server svc.test resolve; }\n"
                + "server { listen 127.0.0.1:1; location / { resolver 127.0.0.1; } }\n}\n",
                ResolverConfigErrorsTest.MODULES);
        assertThat(noResolver.getMessage()).matches(
                "no resolver defined to resolve names at run time in upstream \"u\" in .*nginx.conf:3");
    }
}
