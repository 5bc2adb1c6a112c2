package io.jwtgate.realip;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.access.AccessModule;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * realip against stock nginx: for each request of a table (trusted and untrusted peers, X-Real-IP, X-Forwarded-For
 * with garbage, ports, IPv6, empty elements, spaces, several lines and hundreds of addresses, recursion on and off,
 * another header, internal redirects), the response that echoes {@code $remote_addr}, {@code $binary_remote_addr},
 * {@code $remote_port}, {@code $realip_remote_addr} and {@code $realip_remote_port}, and the access log line with
 * the same variables, byte for byte. Both listen on 127.0.0.1, which {@code set_real_ip_from} trusts; the test
 * client's own port, which differs between the two, is masked.
 */
class RealIpDifferentialTest {

    static final Supplier<List<HttpModule>> MODULES = () -> {
        List<HttpModule> m = new ArrayList<>(CoreModules.create());
        m.add(new AccessModule());
        m.add(new RealIpModule());
        return m;
    };

    static final String CONFIG = """
            log_format realip '$request_uri $status $remote_addr $binary_remote_addr "$remote_port" '
                              '$realip_remote_addr "$realip_remote_port" "$early"';
            server {
                listen 127.0.0.1:%2$d;
                access_log %1$s/access-%2$d.log realip;
                set_real_ip_from 127.0.0.1;
                set_real_ip_from 10.0.0.0/8;
                set_real_ip_from 2001:db8::/32;
                error_page 404 = /echo;
                location = /echo {
            return 200 "$remote_addr $binary_remote_addr [$remote_port] $realip_remote_addr [$realip_remote_port]";
                }
                location / { }
                location /xff { real_ip_header X-Forwarded-For; }
                location /recursive { real_ip_header X-Forwarded-For; real_ip_recursive on; }
                location /custom { real_ip_header X-Client; }
                location /lower { real_ip_header x-forwarded-for; real_ip_recursive on; }
                location /untrusted { set_real_ip_from 192.0.2.0/24; real_ip_header X-Forwarded-For; }
                location /pp { real_ip_header proxy_protocol; }
                location /cached { real_ip_header X-Forwarded-For; set $early $remote_addr; }
                location /redirect {
                    set_real_ip_from 192.0.2.1;
                    real_ip_header X-Forwarded-For;
                    error_page 404 = /trusting;
                }
                location /trusting { real_ip_header X-Forwarded-For; }
                location /changed-then-redirect { real_ip_header X-Forwarded-For; error_page 404 = /other; }
                location /other { real_ip_header X-Client; }
                location /by-name { set_real_ip_from localhost; real_ip_header X-Client; }
                location /unix { set_real_ip_from unix:; real_ip_header X-Client; }
                location /deny { real_ip_header X-Forwarded-For; deny 5.5.5.5; }
                location /allow { real_ip_header X-Forwarded-For; allow 6.6.6.6; deny all; }
            }
            """;

    /** Many trusted balancers after the client. */
    static final String CHAIN = IntStream.range(0, 300).mapToObj(i -> "10.0." + (i / 250) + "." + (i % 250 + 1))
            .collect(Collectors.joining(", "));

    /** Each request: the path, then its header lines. */
    static final String[][] REQUESTS = {
        {"/"},
        {"/", "X-Real-IP: 1.2.3.4"},
        {"/", "X-Real-IP: 1.2.3.4:5678"},
        {"/", "X-Real-IP: [2001:db8::1]:443"},
        {"/", "X-Real-IP: [::1]"},
        {"/", "X-Real-IP: ::ffff:1.2.3.4"},
        {"/", "X-Real-IP: 2001:db8:0:0:1:0:0:1"},
        {"/", "X-Real-IP: ::1.2.3.4"},
        {"/", "X-Real-IP: FE80::A"},
        {"/", "X-Real-IP: 1.2.3.4, 5.6.7.8"},
        {"/", "X-Real-IP: garbage"},
        {"/", "X-Real-IP: 1.2.3.4", "X-Real-IP: 5.6.7.8"},
        {"/", "X-Real-IP:   1.2.3.4:77   "},
        {"/", "X-Real-IP: 1.2.3.4:0"},
        {"/", "X-Real-IP: 1.2.3.4:65536"},
        {"/", "X-Real-IP: 255.255.255.255"},
        {"/", "X-Real-IP:"},
        {"/", "X-Forwarded-For: 1.2.3.4"},
        {"/xff", "X-Forwarded-For: 1.2.3.4, 10.0.0.1"},
        {"/xff", "X-Forwarded-For: 1.2.3.4", "X-Forwarded-For: 10.0.0.1"},
        {"/xff", "X-Forwarded-For: ,,,"},
        {"/xff", "X-Forwarded-For:"},
        {"/xff", "X-Real-IP: 7.7.7.7", "X-Forwarded-For: 8.8.8.8"},
        {"/recursive", "X-Forwarded-For: 1.2.3.4, 10.0.0.1"},
        {"/recursive", "X-Forwarded-For: 1.2.3.4", "X-Forwarded-For: 10.0.0.1,,  "},
        {"/recursive", "X-Forwarded-For: 1.2.3.4", "X-Forwarded-For: 10.0.0.1"},
        {"/recursive", "X-Forwarded-For: 1.2.3.4", "X-Forwarded-For: garbage", "X-Forwarded-For: 10.0.0.1"},
        {"/recursive", "X-Forwarded-For: 10.0.0.2", "X-Forwarded-For: 10.0.0.3"},
        {"/recursive", "X-Forwarded-For: 1.2.3.4 10.0.0.3"},
        {"/recursive", "X-Forwarded-For: garbage, 10.0.0.3"},
        {"/recursive", "X-Forwarded-For: 1.1.1.1, 2001:db8::5, [2001:db8::6]:99"},
        {"/recursive", "X-Forwarded-For: 2001:db8::1, 3fff::1, 2001:db8::2"},
        {"/recursive", "X-Forwarded-For: 1.2.3.4, ::ffff:10.0.0.1"},
        {"/recursive", "X-Forwarded-For: 1.1.1.1:5, 10.0.0.1:7"},
        {"/recursive", "X-Forwarded-For: ,10.0.0.9"},
        {"/recursive", "X-Forwarded-For:  , 10.0.0.9"},
        {"/recursive", "X-Forwarded-For: 1.2.3.4\tx, 10.0.0.1"},
        {"/recursive", "X-Forwarded-For: 10.0.0.5", "X-Forwarded-For:"},
        {"/recursive", "X-Forwarded-For: 1.2.3.4, " + CHAIN},
        {"/recursive", "X-Forwarded-For: " + CHAIN},
        {"/recursive", "X-Forwarded-For: " + "x".repeat(3000)},
        {"/custom", "X-Client: 9.9.9.9:80"},
        {"/custom", "x-client: 9.9.9.9", "X-Client: 8.8.8.8"},
        {"/lower", "X-Forwarded-For: 1.2.3.4", "X-Forwarded-For: 10.0.0.1"},
        {"/untrusted", "X-Forwarded-For: 1.2.3.4"},
        {"/pp", "X-Forwarded-For: 1.2.3.4"},
        {"/cached", "X-Forwarded-For: 5.5.5.5"},
        {"/redirect", "X-Forwarded-For: 6.6.6.6"},
        {"/changed-then-redirect", "X-Forwarded-For: 10.0.0.5", "X-Client: 8.8.8.8"},
        {"/by-name", "X-Client: 2.2.2.2"},
        {"/unix", "X-Client: 2.2.2.2"},
        {"/deny", "X-Forwarded-For: 5.5.5.5"},
        {"/deny", "X-Forwarded-For: 5.5.5.6"},
        {"/allow", "X-Forwarded-For: 6.6.6.6"},
        {"/allow"},
    };

    static Path dir;
    static SideBySide pair;
    /** The table's responses, nginx's and jwtgate's, in order. */
    static final List<String> nginxResponses = new ArrayList<>();
    static final List<String> gatewayResponses = new ArrayList<>();
    /** jwtgate's error lines while the table ran. */
    static final ListAppender<ILoggingEvent> gatewayErrors = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("realip-diff");
        pair = SideBySide.start(port -> CONFIG.formatted(dir, port), MODULES);
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        gatewayErrors.start();
        root.addAppender(gatewayErrors);
        try {
            for (String[] request : REQUESTS) {
                nginxResponses.add(exchange(pair.nginxPort(), request(request)));
                gatewayResponses.add(exchange(pair.gatewayPort(), request(request)));
            }
        } finally {
            root.detachAppender(gatewayErrors);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void sameResponsesAsNginx() {
        for (int i = 0; i < REQUESTS.length; i++) {
            assertThat(gatewayResponses.get(i)).as(String.join(" | ", REQUESTS[i])).isEqualTo(nginxResponses.get(i));
        }
    }

    @Test
    void theAccessLogSeesTheAddressAsNginx() throws Exception {
        assertThat(logLines(pair.gatewayPort())).isEqualTo(logLines(pair.nginxPort()));
    }

    @Test
    void allowAndDenySeeTheAddressRealipFound() {
        List<Integer> expected = List.of(403, 200, 200, 403); // /deny 5.5.5.5, /deny 5.5.5.6, /allow 6.6.6.6, /allow
        for (List<String> responses : List.of(nginxResponses, gatewayResponses)) {
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < REQUESTS.length; i++) {
                if (REQUESTS[i][0].equals("/deny") || REQUESTS[i][0].equals("/allow")) {
                    codes.add(Integer.parseInt(responses.get(i).substring(9, 12)));
                }
            }
            assertThat(codes).isEqualTo(expected);
        }
    }

    @Test
    void theErrorLogNamesTheAddressRealipFound() throws Exception {
        List<String> denials = pair.nginxErrorMessages().stream()
                .filter(m -> m.startsWith("access forbidden")).toList();
        assertThat(denials).satisfiesExactly(
                m -> assertThat(m).startsWith("access forbidden by rule, client: 5.5.5.5, "),
                m -> assertThat(m).startsWith("access forbidden by rule, client: 127.0.0.1, "));
        assertThat(gatewayErrors.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.startsWith("access forbidden")).containsExactlyElementsOf(denials);
    }

    /** Two requests on one connection: the second, without a header, is the balancer's again. */
    @Test
    void theNextRequestOnAConnectionStartsFromThePeer() throws Exception {
        String first = request(new String[] {"/?keepalive=1", "X-Real-IP: 1.2.3.4:99"}).replace("Connection: close",
                "Connection: keep-alive");
        String second = request(new String[] {"/?keepalive=2"});
        List<String> expected = keepAlive(pair.nginxPort(), first, second);
        assertThat(expected.get(0)).contains("\n1.2.3.4 ");
        assertThat(expected.get(1)).contains("\n127.0.0.1 ");
        assertThat(keepAlive(pair.gatewayPort(), first, second)).isEqualTo(expected);
    }

    private static List<String> keepAlive(int port, String first, String second) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            String peer = Integer.toString(c.localPort());
            return List.of(masked(c.send(first).readResponse(), peer), masked(c.send(second).readResponse(), peer));
        }
    }

    private static String request(String[] request) {
        StringBuilder sb = new StringBuilder("GET ").append(request[0]).append(" HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < request.length; i++) {
            sb.append(request[i]).append("\r\n");
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    /** The response, with the client's port (the one thing that differs) masked as {@code PEER}. */
    private static String exchange(int port, String request) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return masked(c.send(request).readResponse(), Integer.toString(c.localPort()));
        }
    }

    private static String masked(RawResponse r, String peer) {
        // ephemeral ports have five digits here, so the lengths stay equal
        return SideBySide.masked(r).replace("[" + peer + "]", "[PEER]");
    }

    /**
     * The access log's lines of the table once it has one per request (the other test's are left out), each client
     * port (ephemeral, five digits; the table's ports have fewer) masked.
     */
    private static List<String> logLines(int port) throws Exception {
        Path log = dir.resolve("access-" + port + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> lines = List.of();
        while (lines.size() < REQUESTS.length && System.nanoTime() < deadline) {
            Thread.sleep(20);
            lines = !Files.exists(log) ? List.of() : Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                    .filter(l -> !l.startsWith("/?keepalive")).toList();
        }
        assertThat(lines).hasSize(REQUESTS.length);
        return lines.stream().map(l -> l.replaceAll("\"[0-9]{5}\"", "\"PEER\"")).toList();
    }
}
