package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jose.JWSAlgorithm;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JSON access logs the nginx way ({@code log_format ... escape=json}) with hostile values: quotes, backslashes,
 * every kind of control character, braces and UTF-8 in a header, in the token's {@code kid} and {@code sub}. Each
 * line is parsed back with Jackson (strictly: no control characters in strings, no duplicate names) and gives back
 * exactly what was sent; the lines of the header-only format are byte for byte stock nginx's.
 */
class JsonAccessLogTest {

    static final String FORMAT = """
            log_format j escape=json '{"uri":"$request_uri","v":"$http_x_value","none":"$http_x_none",'
                                     '"status":$status,"rid":"$request_id","msec":$msec,"t":"$time_iso8601",'
                                     '"conn":$connection,"reqs":$connection_requests,"rt":$request_time}';
            """;
    static final String JWT_FORMAT = """
            log_format jw escape=json '{"v":"$http_x_value","jwt":"$jwt_status","kid":"$jwt_kid",'
                                      '"alg":"$jwt_alg","sub":"$jwt_sub"}';
            """;
    /**
     * JSON's specials and a tab (the one control character a header may carry: docs/configuration.md), braces, and é
     * as its two UTF-8 bytes on the wire.
     */
    static final String HOSTILE = "a\"b\\c}{,:\t\u00c3\u00a9 \"x\":1";
    /** Every control character, in the token's kid (JSON-escaped there, decoded by the gateway). */
    static final String CONTROLS = controls();

    static final ObjectMapper STRICT = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static String controls() {
        StringBuilder sb = new StringBuilder("k\"1\\");
        for (char c = 1; c < 0x20; c++) {
            sb.append(c);
        }
        return sb.append('\u007f').toString();
    }

    @Test
    void hostileHeaderLinesAsNginxAndParsedBack() throws Exception {
        assertThat(StockNginx.available()).as("stock nginx at /usr/sbin/nginx").isTrue();
        Path dir = Files.createTempDirectory("json-log");
        String server = "listen 127.0.0.1:%1$d; access_log " + dir + "/j-%1$d.log j; location / { return 200; }";
        int nginxPort = TestGateway.freePort();
        int gatewayPort = TestGateway.freePort();
        String[] uris = {"/plain", "/q?a=%22x%5C&b=\"y\\", "/x"};
        try (StockNginx nginx = StockNginx.start(FORMAT + "server { " + server.formatted(nginxPort) + " }",
                nginxPort);
                TestGateway gw = TestGateway.start("http {\n" + FORMAT + "server { " + server.formatted(gatewayPort)
                        + " }\n}\n", CoreModules::create)) {
            for (String uri : uris) {
                for (int port : new int[] {nginxPort, gatewayPort}) {
                    assertThat(RawHttpClient.get(port, uri, "X-Value: " + HOSTILE).code()).isEqualTo(200);
                }
            }
            List<String> expected = lines(dir.resolve("j-" + nginxPort + ".log"), uris.length);
            List<String> actual = lines(dir.resolve("j-" + gatewayPort + ".log"), uris.length);
            assertThat(masked(actual)).isEqualTo(masked(expected));
            for (int i = 0; i < uris.length; i++) {
                JsonNode line = STRICT.readTree(actual.get(i).getBytes(StandardCharsets.ISO_8859_1));
                assertThat(line.get("uri").textValue()).isEqualTo(uris[i]);
                assertThat(line.get("v").textValue()).isEqualTo(HOSTILE.replace("\u00c3\u00a9", "\u00e9"));
                assertThat(line.get("none").textValue()).isEmpty();
                assertThat(line.get("status").intValue()).isEqualTo(200);
                assertThat(line.get("rid").textValue()).matches("[0-9a-f]{32}");
                assertThat(line.get("msec").isNumber()).isTrue();
                assertThat(line.get("rt").isNumber()).isTrue();
                assertThat(line.get("reqs").intValue()).isEqualTo(1);
            }
        }
    }

    @Test
    void hostileTokenValuesParsedBack() throws Exception {
        Path dir = Files.createTempDirectory("json-log");
        String kid = CONTROLS;
        String sub = "eve\"},\"admin\":true,\"x\":\"\u0007";
        String token = Fixtures.hs(JWSAlgorithm.HS256, SECRET, kid,
                "{\"sub\":" + STRICT.writeValueAsString(sub) + ",\"exp\":" + (Fixtures.NOW + 60) + "}");
        String forged = Fixtures.hs(JWSAlgorithm.HS256, "ffffffffffffffffffffffffffffffff", kid, "{\"sub\":\"x\"}");
        int port = TestGateway.freePort();
        try (TestGateway gw = TestGateway.start(Fixtures.conf(port, JWT_FORMAT, """
                jwt_secret "%s";
                access_log %s/jw.log jw;
                location / { echo ""; }
                """.formatted(SECRET, dir)), Fixtures.modules(new Fixtures.TestClock()))) {
            assertThat(RawHttpClient.get(port, "/", bearer(token), "X-Value: " + HOSTILE).code()).isEqualTo(200);
            assertThat(RawHttpClient.get(port, "/", bearer(forged)).code()).isEqualTo(401);
            assertThat(RawHttpClient.get(port, "/").code()).isEqualTo(401);
        }
        List<JsonNode> lines = new ArrayList<>();
        List<String> raw = lines(dir.resolve("jw.log"), 3);
        // nginx's escapes: the short ones where JSON has them, else \\u00XX in upper case; DEL as it is
        assertThat(raw.get(0)).contains("k\\\"1\\\\\\u0001").contains("\\b\\t\\n\\u000B\\f\\r\\u000E")
                .contains("\\u001F\u007f\"");
        for (String l : raw) {
            lines.add(STRICT.readTree(l.getBytes(StandardCharsets.ISO_8859_1)));
        }
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).toString()).isEqualTo(STRICT.createObjectNode()
                .put("v", HOSTILE.replace("\u00c3\u00a9", "\u00e9")).put("jwt", "ok").put("kid", kid)
                .put("alg", "HS256").put("sub", sub).toString());
        assertThat(lines.get(1).toString()).isEqualTo(STRICT.createObjectNode().put("v", "").put("jwt", "bad_signature")
                .put("kid", kid).put("alg", "HS256").put("sub", "").toString());
        assertThat(lines.get(2).toString()).isEqualTo(STRICT.createObjectNode().put("v", "").put("jwt", "no_token")
                .put("kid", "").put("alg", "").put("sub", "").toString());
    }

    /** The values that differ from run to run (request id, times, connection numbers) masked. */
    private static List<String> masked(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("\"rid\":\"[0-9a-f]{32}\"", "\"rid\":\"R\"")
                .replaceAll("\"msec\":[0-9.]+", "\"msec\":M").replaceAll("\"t\":\"[^\"]+\"", "\"t\":\"T\"")
                .replaceAll("\"conn\":[0-9]+", "\"conn\":C").replaceAll("\"rt\":[0-9.]+", "\"rt\":R")).toList();
    }

    private static List<String> lines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1)
                    : List.of();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(20);
        }
    }
}
