package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code worker_connections} bounds each event loop's client connections. When they run short, connections waiting
 * for a request (idle in keep-alive, or not sent a byte yet) are closed oldest first to make room, as nginx reuses
 * them; connections in the middle of a request never are, and a new connection is refused while they hold every
 * slot, with a bounded number of log lines.
 */
class ConnectionLimitTest {

    private static final String CONF = """
            worker_processes 1;
            events { worker_connections 3; }
            http { server { listen 127.0.0.1:%d; location / { return 200 "ok"; } } }
            """;
    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    private final Logger serverLog = (Logger) LoggerFactory.getLogger("jwtgate.server");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<RawHttpClient> held = new ArrayList<>();

    @BeforeEach
    void captureLog() {
        appender.start();
        serverLog.addAppender(appender);
    }

    @AfterEach
    void release() {
        serverLog.detachAppender(appender);
        held.forEach(RawHttpClient::close);
    }

    @Test
    void theOldestIdleKeepAliveConnectionMakesRoomForANewClient() throws Exception {
        try (TestGateway gw = TestGateway.start(CONF.formatted(TestGateway.freePort()), CoreModules::create)) {
            for (int i = 0; i < 3; i++) {
                held.add(RawHttpClient.connect(gw.port()));
                assertThat(held.get(i).send(GET).readResponse().code()).isEqualTo(200);
            }
            try (RawHttpClient fresh = RawHttpClient.connect(gw.port())) {
                assertThat(fresh.send(GET).readResponse().code()).isEqualTo(200);
            }
            assertThat(held.get(0).isClosedByPeer()).isTrue();
            for (RawHttpClient c : held.subList(1, 3)) {
                assertThat(c.send(GET).readResponse().code()).isEqualTo(200);
            }
            assertThat(lines("worker_connections are not enough"))
                    .containsExactly("3 worker_connections are not enough, reusing connections");
        }
    }

    @Test
    void connectionsThatNeverSentAByteMakeRoomToo() throws Exception {
        try (TestGateway gw = TestGateway.start(CONF.formatted(TestGateway.freePort()), CoreModules::create)) {
            for (int i = 0; i < 3; i++) {
                held.add(RawHttpClient.connect(gw.port()));
            }
            try (RawHttpClient fresh = RawHttpClient.connect(gw.port())) {
                assertThat(fresh.send(GET).readResponse().code()).isEqualTo(200);
            }
            assertThat(held.get(0).isClosedByPeer()).isTrue();
            assertThat(held.get(1).send(GET).readResponse().code()).isEqualTo(200);
        }
    }

    @Test
    void requestsInProgressAreNeverClosedAndRefusalsAreLoggedAtABoundedRate() throws Exception {
        try (TestGateway gw = TestGateway.start(CONF.formatted(TestGateway.freePort()), CoreModules::create)) {
            // two request heads half-way in, and an answered request whose announced body has not come yet (its
            // answer shows the loop has read what the others sent before)
            for (int i = 0; i < 2; i++) {
                held.add(RawHttpClient.connect(gw.port()).send("GET / HTTP/1.1\r\nHost: a\r\n"));
            }
            RawHttpClient body = RawHttpClient.connect(gw.port());
            held.add(body);
            assertThat(body.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n").readResponse().code())
                    .isEqualTo(200);
            int refusals = 20;
            long started = System.nanoTime();
            for (int i = 0; i < refusals; i++) {
                try (RawHttpClient refused = RawHttpClient.connect(gw.port())) {
                    assertThat(refused.isClosedByPeer()).isTrue();
                }
            }
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

            assertThat(body.send("0123456789" + GET).readResponse().code()).isEqualTo(200);
            for (RawHttpClient head : held.subList(0, 2)) {
                assertThat(head.send("\r\n").readResponse().code()).isEqualTo(200);
            }
            List<String> refusalLines = lines("worker_connections are not enough, closing");
            assertThat(refusalLines).hasSizeBetween(1, (int) seconds + 1);
            assertThat(lines("reusing connections")).isEmpty();
        }
    }

    private List<String> lines(String containing) {
        synchronized (appender) { // the appender adds under this lock, on the event loop
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(containing))
                    .toList();
        }
    }
}
