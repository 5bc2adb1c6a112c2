package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests the decoder refuses are logged in nginx's words, the same as stock nginx's, not Netty's or Java's. (nginx
 * adds the start of a bad header line, {@code client sent invalid header line: "Bad\x20..."}, which Netty does not
 * tell.)
 */
class ErrorLogWordsTest extends GatewayProcessFixture {

    static final List<String[]> CASES = List.of(
            new String[] {"GET / HTTP/1.1 extra\r\n\r\n", "client sent invalid request"},
            new String[] {"GET / HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n", "client sent invalid header line"},
            new String[] {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\n",
                    "client sent \"Content-Length\" and \"Transfer-Encoding\" headers at the same time"});

    @Test
    void decoderFailuresUseNginxsWords() throws Exception {
        int port = TestGateway.freePort();
        writeConf(config(port, "location / { return 204; }"));
        try (ChildProcess gw = startGateway(port)) {
            for (String[] c : CASES) {
                send(port, c[0]);
            }
            gw.await("three client lines in the error log", START,
                    () -> errorLog().lines().filter(l -> l.contains(": client sent")).count() == CASES.size());
            for (String[] c : CASES) {
                assertThat(errorLog()).contains(": " + c[1] + ", client: ");
            }
        }
        assertThat(errorLog()).doesNotContain("Exception").doesNotContain("(..)");

        int nginxPort = TestGateway.freePort();
        try (StockNginx nginx = StockNginx.start("server { listen 127.0.0.1:" + nginxPort
                + "; location / { return 204; } }", nginxPort)) {
            for (String[] c : CASES) {
                send(nginxPort, c[0]);
            }
            String log = Files.readString(nginx.dir().resolve("logs/error.log"));
            for (String[] c : CASES) {
                assertThat(log).as("stock nginx's log").contains(" " + c[1]);
            }
        }
    }

    private static void send(int port, String request) {
        try (RawHttpClient client = RawHttpClient.connect(port)) {
            assertThat(client.send(request).readResponse().code()).isEqualTo(400);
        }
    }
}
