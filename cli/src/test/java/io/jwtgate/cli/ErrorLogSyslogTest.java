package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code error_log syslog:...}: the gateway's error-log lines arrive at a test UDP server on 127.0.0.1 as stock
 * nginx sends them: the syslog header with the line's own level as severity (here {@code local0}: info is 134,
 * notice 133), the tag, then the whole error-log line with its date and level word, without a newline.
 */
class ErrorLogSyslogTest extends GatewayProcessFixture {

    static final String REQUEST = "GET / HTTP/1.1 extra\r\n\r\n";
    static final String SYSLOG = "syslog:server=127.0.0.1:%d,facility=local0,tag=edge";
    /** PRI, time, host, tag, then nginx's error-log date and level word. */
    static final String FORM = "<%d>[A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d [a-z0-9.-]+ edge: "
            + "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[%s\\] \\d+#[^:]+: .*";

    @Test
    void linesAsNginxSendsThem() throws Exception {
        assertThat(StockNginx.available()).as("stock nginx at /usr/sbin/nginx").isTrue();
        List<String> nginxLines;
        try (DatagramSocket server = receiver()) {
            int port = TestGateway.freePort();
            // nginx takes error_log in http too: its requests' lines go there
            try (StockNginx nginx = StockNginx.start("error_log " + SYSLOG.formatted(server.getLocalPort())
                    + " info; server { listen 127.0.0.1:" + port + "; location / { return 204; } }", port)) {
                send(port, REQUEST);
                nginxLines = receiveUntil(server, "client sent invalid request");
            }
        }
        assertThat(nginxLines).last().asString().matches(FORM.formatted(134, "info"))
                .containsPattern(": \\*\\d+ client sent invalid request");

        try (DatagramSocket server = receiver()) {
            int port = TestGateway.freePort();
            writeConf(config(port, "location / { return 204; }").replace("error_log error.log info;",
                    "error_log " + SYSLOG.formatted(server.getLocalPort()) + " info;"));
            try (ChildProcess gw = startGateway(port)) {
                send(port, REQUEST);
                List<String> lines = receiveUntil(server, "client sent invalid request");
                assertThat(lines).anyMatch(l -> l.matches(FORM.formatted(133, "notice")) && l.contains("listening on"));
                assertThat(lines).last().asString().matches(FORM.formatted(134, "info"))
                        .contains(": client sent invalid request, client: 127.0.0.1");
                assertThat(lines).noneMatch(l -> l.endsWith("\n"));
            }
        }
        assertThat(errorLog()).isEmpty();
    }

    private static DatagramSocket receiver() throws IOException {
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        s.setSoTimeout(10_000);
        return s;
    }

    /** The datagrams received up to and including the first that contains {@code text}. */
    private static List<String> receiveUntil(DatagramSocket server, String text) throws IOException {
        List<String> lines = new ArrayList<>();
        byte[] buf = new byte[65536];
        while (lines.isEmpty() || !lines.get(lines.size() - 1).contains(text)) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                server.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no line with \"" + text + "\" among " + lines, e);
            }
            lines.add(new String(Arrays.copyOf(buf, p.getLength()), StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static void send(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getInputStream().readAllBytes();
        }
    }
}
