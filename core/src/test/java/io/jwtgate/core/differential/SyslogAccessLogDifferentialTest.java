package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code access_log syslog:...} against stock nginx: each sends one UDP datagram per line to a test server on
 * 127.0.0.1, and the datagrams are the same, RFC 3164 as nginx writes it ({@code <PRI>Mmm dd hh:mm:ss host tag: line},
 * no newline), but for the time, which must name the second of the request.
 */
class SyslogAccessLogDifferentialTest {

    static final String CONFIG = """
            log_format s '$request_uri $status "$http_x_value"';
            server {
                listen 127.0.0.1:%2$d;
                location /default/ { access_log syslog:server=127.0.0.1:%1$d s; return 200; }
                location /set/ {
                    access_log syslog:server=127.0.0.1:%1$d,facility=local3,severity=warn,tag=gate_1,nohostname s;
                    access_log syslog:server=localhost:%1$d,facility=auth,severity=emerg s if=$arg_also;
                    return 404;
                }
            }
            """;

    /** The syslog time of a datagram: month, day padded with a space, time. */
    static final Pattern HEADER = Pattern.compile("^(<\\d+>)([A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d)( .*)$",
            Pattern.DOTALL);

    @Test
    void sameDatagramsAsNginx() throws Exception {
        assertThat(StockNginx.available()).as("stock nginx at /usr/sbin/nginx").isTrue();
        String[][] requests = {
            {"/default/a", ""},
            {"/set/b", "X-Value: quote\" back\\slash \u00e9"},
            {"/set/c?also=1", ""},
        };
        try (DatagramSocket nginxServer = receiver(); DatagramSocket gatewayServer = receiver()) {
            int nginxPort = TestGateway.freePort();
            int gatewayPort = TestGateway.freePort();
            List<String> expected;
            List<String> actual;
            try (StockNginx nginx = StockNginx.start(CONFIG.formatted(nginxServer.getLocalPort(), nginxPort),
                    nginxPort)) {
                expected = exchange(nginxPort, nginxServer, requests);
            }
            try (TestGateway gw = TestGateway.start("http {\n"
                    + CONFIG.formatted(gatewayServer.getLocalPort(), gatewayPort) + "}\n", CoreModules::create)) {
                actual = exchange(gatewayPort, gatewayServer, requests);
            }
            assertThat(expected).hasSize(4);
            // local7.info, the host's name, tag nginx
            assertThat(expected.get(0)).matches("<190>TIME [a-z0-9.-]+ nginx: /default/a 200 \"-\"");
            assertThat(expected.get(1)).isEqualTo("<156>TIME gate_1: /set/b 404 \"quote\\x22 back\\x5Cslash \\xE9\"");
            assertThat(expected.get(3)).startsWith("<32>TIME ").endsWith(" nginx: /set/c?also=1 404 \"-\"");
            assertThat(actual).isEqualTo(expected);
        }
    }

    /**
     * A syslog server that is not there (a port nothing listens on: the kernel answers with ICMP, and the next send
     * fails): every request is answered, the failure is reported once, and a server that comes back gets the lines.
     */
    @Test
    void aMissingServerIsReportedOnceAndNeverFailsARequest() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("jwtgate.log");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        int syslogPort;
        try (DatagramSocket probe = receiver()) {
            syslogPort = probe.getLocalPort(); // free once closed
        }
        int port = TestGateway.freePort();
        try (TestGateway gw = TestGateway.start("http {\n" + CONFIG.formatted(syslogPort, port) + "}\n",
                CoreModules::create)) {
            for (int i = 0; i < 6; i++) {
                assertThat(RawHttpClient.get(port, "/default/" + i).code()).isEqualTo(200);
            }
            try (DatagramSocket server = new DatagramSocket(syslogPort, InetAddress.getLoopbackAddress())) {
                server.setSoTimeout(3000);
                String line = "";
                for (int i = 0; i < 3 && !line.endsWith("/default/back 200 \"-\""); i++) {
                    // the send after a failure may go out on the socket that failed: the next one opens a new one
                    assertThat(RawHttpClient.get(port, "/default/back").code()).isEqualTo(200);
                    try {
                        line = receive(server);
                    } catch (SocketTimeoutException notYet) {
                        line = "";
                    }
                }
                assertThat(line).endsWith(" nginx: /default/back 200 \"-\"");
            }
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().startsWith("send() to syslog failed"))
                .hasSize(1).allMatch(e -> e.getLevel() == Level.WARN);
    }

    private static DatagramSocket receiver() throws IOException {
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        s.setSoTimeout(3000);
        return s;
    }

    /** Sends the requests; returns the datagrams received, each with its time checked and replaced by TIME. */
    private static List<String> exchange(int port, DatagramSocket server, String[][] requests) throws IOException {
        List<String> received = new ArrayList<>();
        for (String[] r : requests) {
            LocalDateTime before = LocalDateTime.now().withNano(0);
            String[] headers = r[1].isEmpty() ? new String[0] : new String[] {r[1]};
            RawHttpClient.get(port, r[0], headers);
            int count = r[0].contains("also") ? 2 : 1;
            for (int i = 0; i < count; i++) {
                received.add(timeChecked(receive(server), before));
            }
        }
        server.setSoTimeout(300);
        try {
            String extra = receive(server);
            throw new AssertionError("one datagram too many: " + extra);
        } catch (SocketTimeoutException expected) {
            // every line was received, once
        } finally {
            server.setSoTimeout(3000);
        }
        return received;
    }

    private static String receive(DatagramSocket server) throws IOException {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        server.receive(p);
        return new String(Arrays.copyOf(buf, p.getLength()), StandardCharsets.ISO_8859_1);
    }

    private static String timeChecked(String datagram, LocalDateTime before) {
        Matcher m = HEADER.matcher(datagram);
        assertThat(m.matches()).as(datagram).isTrue();
        LocalDateTime sent = LocalDateTime.parse(m.group(2) + " " + before.getYear(),
                DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy", Locale.ROOT));
        assertThat(sent).isBetween(before, before.plusSeconds(2));
        return m.group(1) + "TIME" + m.group(3);
    }
}
