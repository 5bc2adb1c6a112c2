package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Stock nginx and jwtgate with every {@code worker_connections} slot taken: by idle keep-alive connections (the
 * oldest is closed and the new client served) and by requests in progress (the new connection is closed, those in
 * progress finish). nginx's listening socket takes one of its slots, jwtgate's does not: nginx runs with one more.
 */
class WorkerConnectionsDifferentialTest {

    private static final String SERVER = "server { listen 127.0.0.1:%d; location / { return 200 \"ok\"; } }";
    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final int CLIENT_SLOTS = 3;

    @Test
    void idleKeepAliveConnectionsMakeRoom() throws Exception {
        List<String> nginx = sideBySide(WorkerConnectionsDifferentialTest::idleSlots);
        assertThat(nginx).containsExactly("idle 200", "idle 200", "idle 200", "new 200", "held closed,open,open");
    }

    @Test
    void requestsInProgressDoNotMakeRoom() throws Exception {
        List<String> nginx = sideBySide(WorkerConnectionsDifferentialTest::busySlots);
        assertThat(nginx).containsExactly("body 200", "new closed", "body then next 200", "head 200", "head 200");
    }

    /** Runs {@code scenario} against nginx, then jwtgate, each fresh: the same transcript; returns nginx's. */
    private static List<String> sideBySide(IntFunction<List<String>> scenario) throws Exception {
        StockNginx.assumeAvailable();
        int nginxPort = TestGateway.freePort();
        List<String> nginx;
        try (StockNginx n = StockNginx.start(SERVER.formatted(nginxPort), nginxPort, CLIENT_SLOTS + 1)) {
            nginx = scenario.apply(nginxPort);
        }
        String conf = "worker_processes 1;\nevents { worker_connections " + CLIENT_SLOTS + "; }\nhttp { "
                + SERVER.formatted(TestGateway.freePort()) + " }\n";
        try (TestGateway gw = TestGateway.start(conf, CoreModules::create)) {
            assertThat(scenario.apply(gw.port())).isEqualTo(nginx);
        }
        return nginx;
    }

    private static List<String> idleSlots(int port) {
        List<String> out = new ArrayList<>();
        List<RawHttpClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENT_SLOTS; i++) {
                held.add(RawHttpClient.connect(port));
                out.add("idle " + held.get(i).send(GET).readResponse().code());
            }
            try (RawHttpClient fresh = RawHttpClient.connect(port)) {
                out.add("new " + fresh.send(GET).readResponse().code());
            }
            List<String> states = new ArrayList<>();
            for (RawHttpClient c : held) {
                states.add(c.isClosedByPeer(Duration.ofMillis(300)) ? "closed" : "open");
            }
            out.add("held " + String.join(",", states));
            return out;
        } finally {
            held.forEach(RawHttpClient::close);
        }
    }

    private static List<String> busySlots(int port) {
        List<String> out = new ArrayList<>();
        List<RawHttpClient> held = new ArrayList<>();
        try {
            // two request heads half-way in, then a request answered before its announced body has come (its
            // answer, on a connection accepted after the others, shows the server has read what they sent)
            for (int i = 0; i < CLIENT_SLOTS - 1; i++) {
                held.add(RawHttpClient.connect(port).send("GET / HTTP/1.1\r\nHost: a\r\n"));
            }
            RawHttpClient body = RawHttpClient.connect(port);
            held.add(body);
            out.add("body " + body.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n").readResponse()
                    .code());
            try (RawHttpClient refused = RawHttpClient.connect(port)) {
                out.add("new " + (refused.isClosedByPeer() ? "closed" : "open"));
            }
            out.add("body then next " + body.send("0123456789" + GET).readResponse().code());
            for (RawHttpClient head : held.subList(0, CLIENT_SLOTS - 1)) {
                out.add("head " + head.send("\r\n").readResponse().code());
            }
            return out;
        } finally {
            held.forEach(RawHttpClient::close);
        }
    }
}
