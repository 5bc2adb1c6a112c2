package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.Openssl;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code listen ... proxy_protocol} on stock nginx and on jwtgate, over raw sockets: the four
 * {@code $proxy_protocol_*} variables and {@code $remote_addr} for v1 and v2 headers, what is refused (the
 * connection closed, the same error line), headers cut short or sent slowly, the header timeout, keep-alive, a TLS
 * listener, and a listener without {@code proxy_protocol} given a header.
 */
class ProxyProtocolDifferentialTest {

    static final String ECHO = "return 200 \"pa=$proxy_protocol_addr pp=$proxy_protocol_port"
            + " sa=$proxy_protocol_server_addr sp=$proxy_protocol_server_port ra=$remote_addr\\n\";";
    static final byte[] REQUEST = ascii("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    static final byte[] SIGNATURE = {'\r', '\n', '\r', '\n', 0, '\r', '\n', 'Q', 'U', 'I', 'T', '\n'};
    static final String CLOSED = "(closed)";

    static Path dir;
    static SideBySide plain;
    static SideBySide tls;
    static SideBySide without;

    ListAppender<ILoggingEvent> appender;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("proxy-protocol-diff");
        Openssl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "a.key", "-out", "a.crt",
                "-subj", "/CN=a.test", "-days", "2");
        // a second server on the address, without proxy_protocol: the setting is the address's
        plain = SideBySide.start(port -> server(port, "proxy_protocol", "") + """
                server {
                    listen 127.0.0.1:%d;
                    server_name b.test;
                    location / { return 200 "b $proxy_protocol_addr"; }
                }
                """.formatted(port), CoreModules::create);
        tls = SideBySide.start(port -> server(port, "ssl proxy_protocol",
                "ssl_certificate %1$s/a.crt; ssl_certificate_key %1$s/a.key;".formatted(dir)), CoreModules::create);
        without = SideBySide.start(port -> server(port, "", ""), CoreModules::create);
    }

    static String server(int port, String params, String more) {
        return """
                client_header_timeout 2s;
                server {
                    listen 127.0.0.1:%d %s;
                    %s
                    location / { %s }
                }
                """.formatted(port, params, more, ECHO);
    }

    @AfterAll
    static void stop() throws Exception {
        for (SideBySide p : new SideBySide[] {plain, tls, without}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @BeforeEach
    void listen() {
        appender = new ListAppender<>();
        appender.start();
        root().addAppender(appender);
    }

    @AfterEach
    void unlisten() {
        root().detachAppender(appender);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    /** A header, what nginx does with it, and whether nginx closes without a line where jwtgate logs one. */
    record Case(String name, byte[] header, boolean accepted, boolean nginxSilent) {
        Case(String name, byte[] header, boolean accepted) {
            this(name, header, accepted, false);
        }
    }

    static List<Case> plainCases() {
        return List.of(
                new Case("v1 TCP4", ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"), true),
                new Case("v1 TCP6 kept as sent", ascii("PROXY TCP6 2001:DB8:0:0::1 ::ffff:192.0.2.1 1 65535\r\n"),
                        true),
                new Case("v1 odd but allowed", ascii("PROXY TCP4 001.2.3.4 abc 00080 0\r\n"), true),
                new Case("v1 empty addresses", ascii("PROXY TCP4   1 2\r\n"), true),
                new Case("v1 UNKNOWN", ascii("PROXY UNKNOWN\r\n"), true),
                new Case("v1 UNKNOWN with addresses", ascii("PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n"), true),
                new Case("v1 longer than 107 bytes", ascii("PROXY TCP4 " + "1".repeat(300) + " 2.2.2.2 1 2\r\n"),
                        true),
                new Case("v2 TCP4", v2(0x21, 0x11, inet4(192, 0, 2, 1, 198, 51, 100, 2, 56324, 443)), true),
                new Case("v2 TCP6", v2(0x21, 0x21, inet6(loopback6(), documentation6(), 1234, 80)), true),
                new Case("v2 TCP6 mapped, port 0", v2(0x21, 0x21, inet6(mapped6(), new byte[16], 0, 80)), true),
                new Case("v2 TCP6 zero runs", v2(0x21, 0x21, inet6(ip6(1, 0, 0, 1, 0, 0, 0, 1),
                        ip6(1, 0, 0, 0, 1, 0, 0, 1), 1, 2)), true),
                new Case("v2 TCP6 embedded IPv4", v2(0x21, 0x21, inet6(ip6(0, 0, 0, 0, 0, 0, 0x102, 0x304),
                        ip6(0, 0, 0, 0, 0, 0, 0, 0x102), 1, 2)), true),
                new Case("v2 TCP6 no run", v2(0x21, 0x21, inet6(ip6(0, 0, 0, 0, 0, 0, 0, 0x101),
                        ip6(0xabcd, 0, 0xef, 0, 3, 0, 4, 0), 1, 2)), true),
                new Case("v2 TCP6 trailing run", v2(0x21, 0x21, inet6(ip6(1, 0, 0, 0, 0, 0, 0, 0),
                        ip6(0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff), 1, 2)), true),
                new Case("v2 TCP4 with TLVs", v2(0x21, 0x11, concat(inet4(10, 0, 0, 1, 10, 0, 0, 2, 1, 2),
                        tlv(0x04, 20), tlv(0x01, 2))), true),
                new Case("v2 TCP4 with 600 bytes of TLVs", v2(0x21, 0x11,
                        concat(inet4(10, 0, 0, 1, 10, 0, 0, 2, 1, 2), tlv(0x04, 597))), true),
                new Case("v2 LOCAL", v2(0x20, 0x00, new byte[0]), true),
                new Case("v2 LOCAL with addresses", v2(0x20, 0x11, inet4(1, 2, 3, 4, 5, 6, 7, 8, 1, 2)), true),
                new Case("v2 UDP over IPv4", v2(0x21, 0x12, inet4(1, 2, 3, 4, 5, 6, 7, 8, 1, 2)), true),
                new Case("v2 unix stream", v2(0x21, 0x31, new byte[216]), true),
                new Case("v2 AF_UNSPEC", v2(0x21, 0x01, new byte[0]), true),
                new Case("v2 unknown command", v2(0x2f, 0x11, inet4(1, 2, 3, 4, 5, 6, 7, 8, 1, 2)), true),
                new Case("no header", new byte[0], false),
                new Case("v1 port too big", ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1111 65536\r\n"), false),
                new Case("v1 port missing", ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1111\r\n"), false),
                new Case("v1 TCP5", ascii("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n"), false),
                new Case("v1 bad address character", ascii("PROXY TCP4 1.2.3.4/8 5.6.7.8 1 2\r\n"), false),
                new Case("v1 LF without CR", ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n"), false),
                new Case("v1 lower case", ascii("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n"), false),
                new Case("v1 UNKNOWN past 1024 bytes", ascii("PROXY UNKNOWN " + "x".repeat(1100) + "\r\n"), false),
                new Case("v2 version 3", concat(SIGNATURE, new byte[] {0x31, 0x11, 0, 12}, new byte[12]), false),
                new Case("v2 longer than sent", concat(SIGNATURE, new byte[] {0x21, 0x11, 0x01, (byte) 0xf4},
                        new byte[12]), false),
                new Case("v2 longer than 1024 bytes", v2(0x21, 0x11,
                        concat(inet4(10, 0, 0, 1, 10, 0, 0, 2, 1, 2), tlv(0x04, 1997))), false),
                new Case("v2 signature cut short", concat(SIGNATURE, new byte[] {0x21}), false),
                new Case("v2 TCP4 address block too short", v2(0x21, 0x11, new byte[8]), false, true),
                new Case("v2 TCP6 address block too short", v2(0x21, 0x21, new byte[12]), false, true));
    }

    @Test
    void headersOnAPlainListener() throws Exception {
        for (Case c : plainCases()) {
            byte[] bytes = concat(c.header(), REQUEST);
            compare(plain, c, port -> exchange(port, 0, bytes));
        }
    }

    @Test
    void truncatedHeadersAreBroken() throws Exception {
        byte[] full = ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n");
        for (int cut : new int[] {3, 6, 12, full.length - 2, full.length - 1}) {
            byte[] head = Arrays.copyOf(full, cut);
            compare(plain, new Case("v1 cut at " + cut, head, false), port -> exchange(port, 0, head));
        }
        byte[] v2 = v2(0x21, 0x11, inet4(1, 2, 3, 4, 5, 6, 7, 8, 1, 2));
        byte[] v2head = Arrays.copyOf(v2, 20);
        compare(plain, new Case("v2 cut at 20", v2head, false), port -> exchange(port, 0, v2head));
    }

    @Test
    void slowSenders() throws Exception {
        byte[] header = ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n");
        // only the first read counts: a header in two pieces is broken (a second apart, so that even a loaded
        // machine reads the first piece alone)
        byte[] rest = concat(Arrays.copyOfRange(header, 4, header.length), REQUEST);
        compare(plain, new Case("header in two pieces", header, false),
                port -> exchange(port, 1000, ascii("PROX"), rest));
        // the request may follow later, as any request
        compare(plain, new Case("request after the header", header, true),
                port -> exchange(port, 300, header, REQUEST));
    }

    @Test
    void headerTimeoutAppliesWhileWaitingForTheHeaderAndAfterIt() throws Exception {
        for (byte[] sent : new byte[][] {new byte[0], ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n")}) {
            for (int port : new int[] {plain.nginxPort(), plain.gatewayPort()}) {
                long t0 = System.nanoTime();
                String answer = exchange(port, 0, sent);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(answer).as("port %d", port).isEqualTo(CLOSED);
                assertThat(ms).as("closed after client_header_timeout 2s").isBetween(1_500L, 5_000L);
            }
        }
    }

    @Test
    void keepAliveKeepsTheAddresses() {
        byte[] header = v2(0x21, 0x11, inet4(192, 0, 2, 7, 198, 51, 100, 2, 40000, 443));
        List<String> answers = new ArrayList<>();
        for (int port : new int[] {plain.nginxPort(), plain.gatewayPort()}) {
            try (RawHttpClient c = RawHttpClient.connect(port)) {
                StringBuilder sb = new StringBuilder();
                c.send(concat(header, ascii("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n")));
                sb.append(SideBySide.masked(c.readResponse()));
                c.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
                sb.append(SideBySide.masked(c.readResponse())).append(SideBySide.masked(c.readResponse()));
                answers.add(sb.toString());
            }
        }
        assertThat(answers.get(0)).contains("pa=192.0.2.7 pp=40000 sa=198.51.100.2 sp=443 ra=127.0.0.1")
                .doesNotContain("PROXY");
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
    }

    @Test
    void tlsListener() throws Exception {
        List<Case> cases = List.of(
                new Case("v1 TCP4", ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"), true),
                new Case("v2 TCP6", v2(0x21, 0x21, inet6(documentation6(), loopback6(), 1, 2)), true),
                new Case("v2 LOCAL", v2(0x20, 0x00, new byte[0]), true),
                new Case("v2 of 108 bytes", v2(0x21, 0x11, concat(inet4(1, 2, 3, 4, 5, 6, 7, 8, 1, 2),
                        tlv(0x04, 77))), true),
                new Case("v2 of 109 bytes", v2(0x21, 0x11, concat(inet4(1, 2, 3, 4, 5, 6, 7, 8, 1, 2),
                        tlv(0x04, 78))), false),
                new Case("v1 longer than 107 bytes", ascii("PROXY TCP4 " + "1".repeat(300) + " 2.2.2.2 1 2\r\n"),
                        false));
        for (Case c : cases) {
            compare(tls, c, port -> tlsExchange(port, c.header()));
        }
        // a handshake without a header: the ClientHello is a broken header (its random bytes differ: not compared)
        int before = proxyProtocolLines().size();
        for (int port : new int[] {tls.nginxPort(), tls.gatewayPort()}) {
            assertThat(tlsExchange(port, new byte[0])).isEqualTo(CLOSED);
        }
        List<String> lines = proxyProtocolLines();
        assertThat(lines.subList(before, lines.size())).singleElement().asString()
                .startsWith("broken header: \"\\x16\\x03");
    }

    @Test
    void theSettingBelongsToTheAddress() throws Exception {
        byte[] header = ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n");
        byte[] request = ascii("GET / HTTP/1.1\r\nHost: b.test\r\nConnection: close\r\n\r\n");
        String expected = exchange(plain.nginxPort(), 0, concat(header, request));
        assertThat(expected).endsWith("\r\n\r\nb 192.0.2.1");
        assertThat(exchange(plain.gatewayPort(), 0, concat(header, request))).isEqualTo(expected);
    }

    @Test
    void listenWithoutProxyProtocol() {
        byte[] header = ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n");
        List<String> answers = new ArrayList<>();
        for (int port : new int[] {without.nginxPort(), without.gatewayPort()}) {
            try (RawHttpClient c = RawHttpClient.connect(port)) {
                answers.add(SideBySide.masked(c.send(concat(header, REQUEST)).readResponse()));
            }
            try (RawHttpClient c = RawHttpClient.connect(port)) {
                answers.add(SideBySide.masked(c.send(REQUEST).readResponse()));
            }
        }
        assertThat(answers.get(0)).startsWith("HTTP/1.1 400 Bad Request");
        assertThat(answers.get(1)).endsWith("pa= pp= sa= sp= ra=127.0.0.1\n");
        assertThat(answers.subList(2, 4)).isEqualTo(answers.subList(0, 2));
    }

    interface Exchange {
        String answer(int port) throws Exception;
    }

    /** Runs {@code c} against both, compares the answers and the error lines each wrote for it. */
    private void compare(SideBySide pair, Case c, Exchange exchange) throws Exception {
        int nginxBefore = nginxLines(pair).size();
        int gatewayBefore = proxyProtocolLines().size();
        String expected = exchange.answer(pair.nginxPort());
        String actual = exchange.answer(pair.gatewayPort());
        if (c.accepted()) {
            assertThat(expected).as("nginx on %s", c.name()).startsWith("HTTP/1.1 200 OK");
        } else {
            assertThat(expected).as("nginx on %s", c.name()).isEqualTo(CLOSED);
        }
        assertThat(actual).as(c.name()).isEqualTo(expected);
        List<String> nginxLines = nginxLines(pair);
        List<String> expectedLines = nginxLines.subList(nginxBefore, nginxLines.size());
        List<String> gatewayLines = proxyProtocolLines();
        List<String> actualLines = gatewayLines.subList(gatewayBefore, gatewayLines.size());
        if (c.nginxSilent()) {
            assertThat(expectedLines).as("nginx's lines on %s", c.name()).isEmpty();
            assertThat(actualLines).as(c.name()).singleElement().asString().startsWith("broken header: \"\\x0d");
        } else {
            assertThat(expectedLines).as("nginx's lines on %s", c.name()).hasSize(c.accepted() ? 0 : 1);
            assertThat(actualLines).as(c.name()).isEqualTo(expectedLines);
        }
    }

    private static final Pattern NGINX_LINE = Pattern.compile("\\[error] \\d+#\\d+: \\*\\d+ (.*?) while reading"
            + " PROXY protocol, client: (.*?), server: 127\\.0\\.0\\.1:\\d+\n", Pattern.DOTALL);
    private static final Pattern BROKEN = Pattern.compile("broken header: \"(.*)\"", Pattern.DOTALL);

    /** nginx's PROXY protocol lines, the header's bytes written as jwtgate writes them, the port left out. */
    private static List<String> nginxLines(SideBySide pair) throws IOException {
        String log = new String(Files.readAllBytes(pair.nginxErrorLog()), StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        Matcher m = NGINX_LINE.matcher(log);
        while (m.find()) {
            Matcher b = BROKEN.matcher(m.group(1));
            String message = b.matches() ? "broken header: \"" + escaped(b.group(1)) + "\"" : m.group(1);
            out.add(message + " while reading PROXY protocol, client: " + m.group(2));
        }
        return out;
    }

    private List<String> proxyProtocolLines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(" while reading PROXY protocol, client: "))
                .map(m -> m.replaceFirst(", server: 127\\.0\\.0\\.1:\\d+$", ""))
                .toList();
    }

    /** Bytes (one char each) outside printable ASCII, {@code "} and {@code \} as {@code \xHH}. */
    private static String escaped(String bytes) {
        StringBuilder sb = new StringBuilder();
        for (char c : bytes.toCharArray()) {
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Sends {@code pieces}, {@code pauseMs} apart, and reads until the server closes: the answer, head masked, or
     * {@link #CLOSED} when nothing came.
     */
    private static String exchange(int port, int pauseMs, byte[]... pieces) throws Exception {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < pieces.length; i++) {
                if (i > 0) {
                    Thread.sleep(pauseMs);
                }
                if (pieces[i].length > 0) {
                    out.write(pieces[i]);
                    out.flush();
                }
            }
            return answer(s.getInputStream());
        }
    }

    /** Sends {@code header} in the clear, then makes a TLS request on the same connection. */
    private static String tlsExchange(int port, byte[] header) throws Exception {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress("127.0.0.1", port));
            if (header.length > 0) {
                s.getOutputStream().write(header);
                s.getOutputStream().flush();
            }
            try (SSLSocket ssl = (SSLSocket) tlsContext().getSocketFactory().createSocket(s, "a.test", port, true)) {
                ssl.startHandshake();
                ssl.getOutputStream().write(REQUEST);
                ssl.getOutputStream().flush();
                return answer(ssl.getInputStream());
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                return CLOSED; // the server closed during the handshake
            }
        }
    }

    private static String answer(InputStream in) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0;) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            // a reset: the server closed with bytes unread
        }
        return got.size() == 0 ? CLOSED : SideBySide.masked(got.toString(StandardCharsets.ISO_8859_1));
    }

    private static SSLContext tlsContext() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("a", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("a.crt")))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static byte[] v2(int versionCommand, int familyTransport, byte[] body) {
        return concat(SIGNATURE, new byte[] {(byte) versionCommand, (byte) familyTransport,
            (byte) (body.length >> 8), (byte) body.length}, body);
    }

    static byte[] inet4(int s1, int s2, int s3, int s4, int d1, int d2, int d3, int d4, int sport, int dport) {
        return ByteBuffer.allocate(12).put(new byte[] {(byte) s1, (byte) s2, (byte) s3, (byte) s4, (byte) d1,
            (byte) d2, (byte) d3, (byte) d4}).putShort((short) sport).putShort((short) dport).array();
    }

    static byte[] inet6(byte[] src, byte[] dst, int sport, int dport) {
        return ByteBuffer.allocate(36).put(src).put(dst).putShort((short) sport).putShort((short) dport).array();
    }

    static byte[] loopback6() {
        byte[] a = new byte[16];
        a[15] = 1;
        return a;
    }

    /** The IPv6 address of eight 16-bit groups. */
    static byte[] ip6(int... groups) {
        ByteBuffer b = ByteBuffer.allocate(16);
        for (int g : groups) {
            b.putShort((short) g);
        }
        return b.array();
    }

    /** 2001:db8::2. */
    static byte[] documentation6() {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[15] = 2;
        return a;
    }

    /** ::ffff:1.2.3.4. */
    static byte[] mapped6() {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        a[12] = 1;
        a[13] = 2;
        a[14] = 3;
        a[15] = 4;
        return a;
    }

    /** A TLV of {@code type} with a value of {@code length} zero bytes. */
    static byte[] tlv(int type, int length) {
        return concat(new byte[] {(byte) type, (byte) (length >> 8), (byte) length}, new byte[length]);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
