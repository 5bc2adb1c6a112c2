package io.jwtgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code stub_status} from stock nginx and from jwtgate after the same connections and requests: the same page
 * byte for byte but for the numbers, the same growth of accepts, handled and requests, and the same Active, Reading,
 * Writing and Waiting while some connections are held idle, half-way through a request head, and asking.
 */
class StubStatusDifferentialTest {

    static final Supplier<List<HttpModule>> MODULES = () -> {
        List<HttpModule> m = new ArrayList<>(CoreModules.create());
        m.add(new MetricsModule());
        return m;
    };

    static final Pattern PAGE = Pattern.compile("Active connections: (\\d+) \n"
            + "server accepts handled requests\n"
            + " (\\d+) (\\d+) (\\d+) \n"
            + "Reading: (\\d+) Writing: (\\d+) Waiting: (\\d+) \n");

    @Test
    void sameCountsAsNginx() throws Exception {
        try (SideBySide pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    location / { return 200 "ok\\n"; }
                    location = /status { stub_status; }
                    location = /old { stub_status on; }
                }
                """.formatted(port), MODULES)) {
            long[] nginx = run(pair.nginxPort());
            long[] gateway = run(pair.gatewayPort());
            // accepts, handled, requests grew alike; Active, Reading, Writing, Waiting are the held connections'
            assertThat(gateway).containsExactly(nginx);
            assertThat(nginx).containsExactly(8, 8, 9, 4, 1, 1, 2);
        }
    }

    @Test
    void sameResponseHeadAsNginx() throws Exception {
        try (SideBySide pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    location = /status { stub_status; }
                }
                """.formatted(port), MODULES)) {
            for (String request : new String[] {"GET /status HTTP/1.1\r\nHost: h\r\n", "HEAD /status HTTP/1.0\r\n",
                "POST /status HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nab"}) {
                String[] heads = new String[2];
                int i = 0;
                for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
                    try (RawHttpClient c = RawHttpClient.connect(port)) {
                        RawResponse r = c.send(request + (request.endsWith("ab") ? "" : "Connection: close\r\n\r\n"))
                                .readResponse(request.startsWith("HEAD"));
                        heads[i++] = SideBySide.masked(r.head()).replaceAll("Content-Length: \\d+",
                                "Content-Length: *");
                        if (r.code() == 200 && !request.startsWith("HEAD")) {
                            assertThat(PAGE.matcher(r.bodyString()).matches()).as(r.bodyString()).isTrue();
                        }
                    }
                }
                assertThat(heads[1]).isEqualTo(heads[0]);
            }
        }
    }

    /**
     * The growth of accepts, handled and requests over a sequence of connections, then Active, Reading, Writing,
     * Waiting with two idle keep-alive connections, one half-way through a request head, and the asking one.
     */
    private static long[] run(int port) throws Exception {
        long[] before = status(port, "/status");
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").readResponse().code()).isEqualTo(200);
            }
        }
        assertThat(RawHttpClient.get(port, "/old").code()).isEqualTo(200);
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            assertThat(c.send("BAD\r\n\r\n").readResponse().code()).isEqualTo(400);
        }
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            c.shutdownOutput(); // a connection that sends nothing
            assertThat(c.isClosedByPeer()).isTrue();
        }
        try (RawHttpClient idle1 = RawHttpClient.connect(port);
                RawHttpClient idle2 = RawHttpClient.connect(port);
                RawHttpClient partial = RawHttpClient.connect(port)) {
            idle1.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").readResponse();
            idle2.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").readResponse();
            partial.send("GET / HT");
            long[] after = null;
            for (int tries = 0; tries < 50; tries++) { // closes and the partial head settle within moments
                after = status(port, "/status");
                if (after[3] == 4 && after[4] == 1) {
                    break;
                }
                Thread.sleep(20);
            }
            return new long[] {after[0] - before[0], after[1] - before[1], after[2] - before[2], after[3], after[4],
                after[5], after[6]};
        }
    }

    /** accepts, handled, requests, active, reading, writing, waiting. */
    private static long[] status(int port, String path) {
        RawResponse r = RawHttpClient.get(port, path);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/plain");
        Matcher m = PAGE.matcher(r.bodyString());
        assertThat(m.matches()).as(r.bodyString()).isTrue();
        return new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
            Long.parseLong(m.group(1)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
            Long.parseLong(m.group(7))};
    }
}
