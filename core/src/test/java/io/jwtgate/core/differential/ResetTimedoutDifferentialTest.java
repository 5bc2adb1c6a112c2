package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.SideBySide;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code reset_timedout_connection}: a client that stops half-way through its request head (or body) is reset (the
 * client's read fails with "connection reset") where the setting is on, and closed normally (end of stream) where it
 * is off, by stock nginx and by jwtgate alike.
 */
class ResetTimedoutDifferentialTest {

    static final String SERVERS = """
            client_header_timeout 1s;
            client_body_timeout 1s;
            server {
                listen 127.0.0.1:%d;
                reset_timedout_connection %s;
                location / { return 200 "ok"; }
            }
            """;

    static final String[] STALLED = {
        "GET / HTTP/1.1\r\nHost: a\r\nX-Half: ",
    };

    @Test
    void resetWhereOnClosedWhereOff() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (String flag : new String[] {"on", "off"}) {
            try (SideBySide pair = SideBySide.start(port -> SERVERS.formatted(port, flag), CoreModules::create)) {
                for (String request : STALLED) {
                    String nginx = stall(pair.nginxPort(), request);
                    String jwtgate = stall(pair.gatewayPort(), request);
                    outcomes.add(flag + ": nginx " + nginx + ", jwtgate " + jwtgate);
                }
            }
        }
        assertThat(outcomes).containsExactly("on: nginx reset, jwtgate reset", "off: nginx closed, jwtgate closed");
    }

    /** Sends {@code request} and nothing more: how the server ends the connection after its timeout. */
    private static String stall(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            try {
                int b = s.getInputStream().read();
                return b < 0 ? "closed" : "answered";
            } catch (SocketException e) {
                return e.getMessage().toLowerCase().contains("reset") ? "reset" : e.getMessage();
            }
        }
    }
}
