package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.map.MapModule;
import io.jwtgate.testing.PseudoRandomBytes;
import io.jwtgate.testing.SideBySide;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSockets through {@code proxy_pass} with the usual configuration ({@code map $http_upgrade
 * $connection_upgrade}, {@code proxy_http_version 1.1}, {@code Upgrade} and {@code Connection} set), side by side
 * with stock nginx: the JDK's WebSocket client (an implementation of its own) talks to Netty's WebSocket server
 * through each, and sees the same messages, pong and close codes; a handshake on a raw socket gets the same 101 head
 * and the same echoed frame bytes, and the access log line written when the tunnel closes has the same status and
 * byte counts.
 */
class WebSocketDifferentialTest {

    static final String HTTP = """
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            log_format tunnel '$status $body_bytes_sent "$request" $upstream_status '
                               '$upstream_response_length $upstream_bytes_received $upstream_bytes_sent';
            server {
                listen 127.0.0.1:%1$d;
                access_log %2$s/access-%1$d.log tunnel;
                location /ws {
                    proxy_pass http://127.0.0.1:%3$d;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                }
            }
            """;

    /** RFC 6455's example key, and the accept value it gives. */
    static final String HANDSHAKE = "GET /ws/raw HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    @TempDir
    static Path logs;
    static WebSocketEcho echo;
    static SideBySide pair;

    static Supplier<List<HttpModule>> modules() {
        return () -> {
            List<HttpModule> all = new ArrayList<>(CoreModules.create());
            all.add(new MapModule());
            all.addAll(ProxyModules.create());
            return all;
        };
    }

    @BeforeAll
    static void start() throws Exception {
        echo = WebSocketEcho.start();
        pair = SideBySide.start(port -> HTTP.formatted(port, logs, echo.port()), modules());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void sameConversationAsNginx() throws Exception {
        List<String> nginx = conversation(pair.nginxPort());
        List<String> jwtgate = conversation(pair.gatewayPort());
        assertThat(nginx).as("what the client sees through nginx").containsExactly("text hello", "text fragmented",
                "binary 300000 " + PseudoRandomBytes.sha256(300_000), "pong ping!", "close 4001 bye");
        assertThat(jwtgate).as("what the client sees through jwtgate").isEqualTo(nginx);
    }

    @Test
    void clientCloseIsEchoedAsThroughNginx() throws Exception {
        List<String> nginx = clientCloses(pair.nginxPort());
        assertThat(nginx).containsExactly("text x", "close 1000 done");
        assertThat(clientCloses(pair.gatewayPort())).isEqualTo(nginx);
    }

    @Test
    void sameHandshakeFramesAndLogLineAsNginx() throws Exception {
        String nginx = rawConversation(pair.nginxPort());
        String jwtgate = rawConversation(pair.gatewayPort());
        assertThat(nginx).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                .containsIgnoringCase("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
        assertThat(jwtgate).isEqualTo(nginx);
        String nginxLog = logLine(pair.nginxPort(), "/ws/raw");
        // the tunnel's bytes count in the try: the upstream's 101 head and echoed frames, the request and frames sent
        assertThat(nginxLog).isEqualTo("101 9 \"GET /ws/raw HTTP/1.1\" 101 0 138 173");
        assertThat(logLine(pair.gatewayPort(), "/ws/raw")).isEqualTo(nginxLog);
    }

    /** A handshake, one masked text frame and its echo, on a raw socket: the head (masked) and frame bytes. */
    private static String rawConversation(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(HANDSHAKE.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            byte[] mask = {1, 2, 3, 4};
            byte[] payload = "abcdefg".getBytes(StandardCharsets.US_ASCII);
            byte[] frame = new byte[6 + payload.length];
            frame[0] = (byte) 0x81;
            frame[1] = (byte) (0x80 | payload.length);
            System.arraycopy(mask, 0, frame, 2, 4);
            for (int i = 0; i < payload.length; i++) {
                frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
            }
            out.write(frame);
            out.flush();
            byte[] echoed = in.readNBytes(2 + payload.length);
            return SideBySide.masked(head) + HexFormat.of().formatHex(echoed);
        }
    }

    static String readHead(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        while (b.length() < 4 || !b.substring(b.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("connection closed in the response head: " + b);
            }
            b.append((char) c);
        }
        return b.toString();
    }

    /** The access log's line that contains {@code marker}, once written (at the tunnel's close). */
    private static String logLine(int port, String marker) throws Exception {
        Path log = logs.resolve("access-" + port + ".log");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains(marker)) {
                        return line;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access log line with " + marker + " in " + log);
    }

    private static List<String> conversation(int port) throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        WebSocket ws = connect(port, events);
        List<String> seen = new ArrayList<>();
        ws.sendText("hello", true).get(10, TimeUnit.SECONDS);
        seen.add(next(events));
        ws.sendText("frag", false).get(10, TimeUnit.SECONDS);
        ws.sendText("mented", true).get(10, TimeUnit.SECONDS);
        seen.add(next(events));
        byte[] big = new byte[300_000];
        new PseudoRandomBytes().nextBytes(big, 0, big.length);
        ws.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
        seen.add(next(events));
        ws.sendPing(ByteBuffer.wrap("ping!".getBytes(StandardCharsets.US_ASCII))).get(10, TimeUnit.SECONDS);
        seen.add(next(events));
        ws.sendText("close:4001", true).get(10, TimeUnit.SECONDS);
        seen.add(next(events));
        ws.abort();
        return seen;
    }

    private static List<String> clientCloses(int port) throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        WebSocket ws = connect(port, events);
        List<String> seen = new ArrayList<>();
        ws.sendText("x", true).get(10, TimeUnit.SECONDS);
        seen.add(next(events));
        ws.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
        seen.add(next(events));
        return seen;
    }

    static WebSocket connect(int port, BlockingQueue<String> events) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new Recorder(events))
                .get(10, TimeUnit.SECONDS);
    }

    static String next(BlockingQueue<String> events) throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("a message within 10 s").isNotNull();
        return e;
    }

    /** Records each whole message, pong and close the client receives, as one line. */
    static final class Recorder implements WebSocket.Listener {
        private final BlockingQueue<String> events;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        Recorder(BlockingQueue<String> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add("text " + text);
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                events.add("binary " + binary.size() + " " + sha256(binary.toByteArray()));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            events.add("pong " + StandardCharsets.US_ASCII.decode(message));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            events.add("close " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.add("error " + error);
        }

        private static String sha256(byte[] b) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
