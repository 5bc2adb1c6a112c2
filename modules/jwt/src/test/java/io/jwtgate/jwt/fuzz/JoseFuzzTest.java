package io.jwtgate.jwt.fuzz;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.JwsParser;
import io.jwtgate.jose.JwsResult;
import io.jwtgate.jose.KeyFormat;
import io.jwtgate.jose.KeySetParser;
import io.jwtgate.jose.KeySetResult;
import io.jwtgate.jose.SigningKey;
import io.jwtgate.jose.claims.ClaimPath;
import io.jwtgate.jose.claims.RevocationList;
import io.jwtgate.jose.internal.Base64Url;
import io.jwtgate.jose.internal.Pem;
import io.jwtgate.jose.internal.Spki;
import io.jwtgate.jose.internal.StrictJson;
import io.jwtgate.testing.Fuzzer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the JOSE parsers the JWT module feeds untrusted bytes (docs/fuzzing.md): tokens, JSON, key documents,
 * PEM and DER keys, revocation lists and claim paths. Each answers bad input with its documented refusal, never with
 * another exception, a hang or an allocation out of proportion to the input.
 */
class JoseFuzzTest {

    private static final String[] JSON_PIECES = {"{", "}", "[", "]", ",", ":", "\"", "\"a\"", "\"alg\"", "\"kid\"",
        "\"RS256\"", "\"none\"", "\"crit\"", "\"keys\"", "\"kty\"", "\"RSA\"", "\"EC\"", "\"OKP\"", "\"oct\"", "\"n\"",
        "\"e\"", "\"x\"", "\"y\"", "\"crv\"", "\"P-256\"", "\"Ed25519\"", "\"k\"", "\"sub\"", "true", "false", "null",
        "0", "-1", "1e308", "1e309", "-0.0", "9223372036854775808", "123456789012345678901234567890", "\"\\u0000\"",
        "\"\\ud800\"", "\"\\\"\"", " ", "\n", "\u00ef\u00bb\u00bf", "\u00c3\u00a9", "\u00ff"};

    private static final CryptoProvider CRYPTO = CryptoProvider.jdk();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void jws() throws Exception {
        JwsParser parser = JwsParser.create();
        Fuzzer.target(getClass(), "jws")
                .dictionary(".", "..", "eyJ", "eyJhbGciOiJub25lIn0", "e30", "-", "_", "=", "+", "/", "AAAA")
                .generator((f, r) -> r.nextBoolean() ? generatedToken(r) : mutatedJsonToken(f, r))
                .allocationLimit(length -> 1024 * 1024 + 64L * length)
                .run(input -> {
                    String token = new String(input, ISO_8859_1);
                    JwsResult r = parser.parse(token);
                    assertThat(r).isNotNull();
                    if (!r.isOk()) {
                        assertThat(r.reason()).isNotNull();
                        return r.reason().toString();
                    }
                    Jws jws = r.jws();
                    assertThat(token.length()).isLessThanOrEqualTo(parser.maxLength());
                    assertThat(depth(jws.header())).isLessThanOrEqualTo(StrictJson.DEFAULT_MAX_DEPTH);
                    assertThat(depth(jws.payload())).isLessThanOrEqualTo(StrictJson.DEFAULT_MAX_DEPTH);
                    // round trip: the segments are the canonical encodings of what was read
                    String[] parts = token.split("\\.", -1);
                    assertThat(new String(jws.signingInput(), ISO_8859_1)).isEqualTo(parts[0] + "." + parts[1]);
                    assertThat(Base64Url.encode(jws.signature())).isEqualTo(parts[2]);
                    assertThat(StrictJson.parseObject(Base64.getUrlDecoder().decode(parts[1]), 0,
                            Base64.getUrlDecoder().decode(parts[1]).length, 64)).isEqualTo(jws.payload());
                    return "ok " + jws.alg().length();
                });
    }

    @Test
    void json() throws Exception {
        Fuzzer.target(getClass(), "json")
                .dictionary(JSON_PIECES)
                .generator((f, r) -> generatedJson(r, 0).toString().getBytes(UTF_8))
                .allocationLimit(length -> 1024 * 1024 + 64L * length)
                .run(input -> {
                    JsonNode n;
                    try {
                        n = StrictJson.parse(input, 0, input.length, StrictJson.DEFAULT_MAX_DEPTH);
                    } catch (StrictJson.Invalid e) {
                        assertThat(e.getMessage()).hasSizeLessThan(500);
                        return e.getMessage().replaceAll("[0-9]+", "N");
                    }
                    assertThat(depth(n)).isLessThanOrEqualTo(StrictJson.DEFAULT_MAX_DEPTH);
                    // round trip through Jackson's writer
                    byte[] written = MAPPER.writeValueAsBytes(n);
                    assertThat(StrictJson.parse(written, 0, written.length, StrictJson.DEFAULT_MAX_DEPTH)).isEqualTo(n);
                    return "ok " + n.getNodeType();
                });
    }

    @Test
    void keyDocuments() throws Exception {
        Fuzzer.target(getClass(), "keys")
                .dictionary(JSON_PIECES)
                .dictionary("-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----", "-----BEGIN ", "MII", "\\n")
                .allocationLimit(length -> 8L * 1024 * 1024 + 256L * length)
                .maxLength(KeySetParser.MAX_DOCUMENT_BYTES + 16)
                .run(input -> {
                    KeyFormat stated = switch (Math.floorMod(Arrays.hashCode(input), 4)) {
                        case 0 -> KeyFormat.JWKS;
                        case 1 -> KeyFormat.KEYVAL;
                        case 2 -> KeyFormat.PEM;
                        default -> null;
                    };
                    KeySetResult r = KeyFormat.load(input, stated, CRYPTO);
                    assertThat(r).isNotNull();
                    if (!r.isOk()) {
                        // "unexpected error" is the parser's catch-all for an exception it did not expect
                        assertThat(r.error()).isNotNull().doesNotContain("unexpected error");
                        return "error " + r.error().replaceAll("[0-9]+", "N").replaceAll("\".*\"", "S");
                    }
                    assertThat(r.keySet().size()).isBetween(1, KeySetParser.MAX_KEYS);
                    for (String w : r.warnings()) {
                        assertThat(w).doesNotContain("unexpected error");
                    }
                    return "ok " + r.keySet().size() + " " + r.warnings().size();
                });
    }

    @Test
    void pemKeys() throws Exception {
        Fuzzer.target(getClass(), "pem")
                .dictionary("-----BEGIN ", "-----END ", "-----", "PRIVATE KEY", "PUBLIC KEY", "RSA PRIVATE KEY",
                        "EC PRIVATE KEY", "EC PARAMETERS", "ENCRYPTED", "CERTIFICATE", "\n", "\r\n", "=", "MII", "A")
                .allocationLimit(length -> 16L * 1024 * 1024 + 256L * length)
                .run(input -> {
                    String text = new String(input, ISO_8859_1);
                    try {
                        SigningKey.fromPem(text);
                    } catch (SigningKey.Invalid e) {
                        assertThat(e.getMessage()).isNotNull().hasSizeLessThan(600);
                        return "invalid " + e.getMessage().replaceAll("\".*\"", "S").replaceAll("\\(.*\\)", "");
                    }
                    // round trip: every block encodes back to what it was read from
                    for (Pem.Block b : Pem.blocks(text)) {
                        List<Pem.Block> again = Pem.blocks(Pem.encode(b.label(), b.der()));
                        assertThat(again).hasSize(1);
                        assertThat(again.get(0).der()).isEqualTo(b.der());
                    }
                    return "ok";
                });
    }

    @Test
    void derPublicKeys() throws Exception {
        Fuzzer.target(getClass(), "der")
                .dictionary("\u0030\u0082", "\u0030\u0081", "\u0006\u0009", "\u0003\u0082", "\u0005\u0000", "\u0084")
                .allocationLimit(length -> 4L * 1024 * 1024 + 256L * length)
                .run(input -> {
                    Spki spki = Spki.parse(input);
                    if (spki != null) {
                        assertThat(spki.key().length).isLessThan(input.length);
                    }
                    // the key itself, as a PEM key source reads it
                    KeySetResult r = KeySetParser.pem(Pem.encode("PUBLIC KEY", input).getBytes(ISO_8859_1), CRYPTO);
                    if (!r.isOk()) {
                        assertThat(r.error()).doesNotContain("unexpected error");
                    }
                    return (spki == null ? "no spki" : "spki") + " " + (r.isOk() ? "key" : r.error());
                });
    }

    @Test
    void revocationLists() throws Exception {
        Fuzzer.target(getClass(), "revocation")
                .dictionary(JSON_PIECES)
                .allocationLimit(length -> 1024 * 1024 + 256L * length)
                .run(input -> {
                    RevocationList.Result r = RevocationList.parse(input);
                    if (!r.isOk()) {
                        assertThat(r.error()).isNotNull().hasSizeLessThan(500);
                        return r.error().replaceAll("[0-9]+", "N");
                    }
                    // round trip: the values written as a JSON array read back the same
                    Set<String> values = r.list().values();
                    ArrayNode a = NODES.arrayNode();
                    values.forEach(a::add);
                    RevocationList.Result again = RevocationList.parse(MAPPER.writeValueAsBytes(a));
                    assertThat(again.isOk()).isTrue();
                    assertThat(again.list().values()).isEqualTo(values);
                    return "ok " + Math.min(values.size(), 3);
                });
    }

    @Test
    void claimPaths() throws Exception {
        JsonNode document = MAPPER.readTree("{\"a\":{\"b\":[1,{\"c\":\"x\"}]},\"a.b\":2,\"q\\\"uote\":[0],"
                + "\"groups\":[{\"name\":\"g\"}],\"https://example.com/roles\":[\"r\"]}");
        Fuzzer.target(getClass(), "claim-path")
                .dictionary(".", "[", "]", "\"", "\\", "\\\"", "0", "12", "999999999", "9999999999", "a", "a.b", "..")
                .allocationLimit(length -> 1024 * 1024 + 256L * length)
                .run(input -> {
                    String text = new String(input, UTF_8);
                    ClaimPath p;
                    try {
                        p = ClaimPath.parse(text);
                    } catch (IllegalArgumentException e) {
                        return "invalid " + e.getMessage().replaceAll("\".*\"", "S").replaceAll("'.'", "C");
                    }
                    assertThat(p.text()).isEqualTo(text);
                    JsonNode n = p.resolve(document);
                    return n == null ? "absent" : "found " + n.getNodeType();
                });
    }

    /** A well-formed token with generated header and payload: it parses, and gives back what was encoded. */
    private static byte[] generatedToken(Random r) {
        ObjectNode header = NODES.objectNode();
        header.put("alg", r.nextBoolean() ? "RS256" : "none");
        if (r.nextBoolean()) {
            header.put("kid", "k" + r.nextInt(100));
        }
        JsonNode payload = generatedJson(r, 1);
        ObjectNode claims = payload.isObject() ? (ObjectNode) payload : NODES.objectNode().set("v", payload);
        byte[] sig = new byte[r.nextInt(80)];
        r.nextBytes(sig);
        String token = Base64Url.encode(header.toString().getBytes(UTF_8)) + "."
                + Base64Url.encode(claims.toString().getBytes(UTF_8)) + "."
                + (header.get("alg").textValue().equals("none") ? "" : Base64Url.encode(sig));
        return token.getBytes(ISO_8859_1);
    }

    /** A token whose header and payload JSON, not their base64url, are mutated from another token's. */
    private static byte[] mutatedJsonToken(Fuzzer f, Random r) {
        byte[][] seeds = {"{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes(UTF_8),
            "{\"sub\":\"a\",\"aud\":[\"x\"],\"exp\":1900000000,\"n\":{\"m\":[1,2.5,null]}}".getBytes(UTF_8)};
        byte[] header = r.nextBoolean() ? f.mutate(r, seeds[0]) : seeds[0];
        byte[] payload = f.mutate(r, seeds[r.nextInt(2)]);
        return (Base64Url.encode(header) + "." + Base64Url.encode(payload) + ".c2ln").getBytes(ISO_8859_1);
    }

    /** A JSON value of up to about 20 levels (past the limit of 16 now and then). */
    private static JsonNode generatedJson(Random r, int depth) {
        int kind = depth > 20 ? 3 + r.nextInt(4) : r.nextInt(depth == 0 ? 2 : 7);
        switch (kind) {
            case 0: {
                ObjectNode o = NODES.objectNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    o.set(generatedString(r), generatedJson(r, depth + 1));
                }
                return o;
            }
            case 1: {
                ArrayNode a = NODES.arrayNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    a.add(generatedJson(r, depth + 1));
                }
                return a;
            }
            case 2:
                return generatedJson(r, depth + 1);
            case 3:
                return NODES.textNode(generatedString(r));
            case 4:
                return r.nextBoolean() ? NODES.numberNode(r.nextLong()) : NODES.numberNode(r.nextInt(1000));
            case 5:
                return NODES.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            default:
                return r.nextBoolean() ? NODES.booleanNode(r.nextBoolean()) : NODES.nullNode();
        }
    }

    private static String generatedString(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            int c = r.nextInt(10) == 0 ? 0x80 + r.nextInt(0x2000) : 0x20 + r.nextInt(0x5f);
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Nesting depth of containers, the root container being 1. */
    private static int depth(JsonNode n) {
        if (!n.isContainerNode()) {
            return 0;
        }
        int max = 0;
        for (Iterator<JsonNode> it = n.elements(); it.hasNext();) {
            max = Math.max(max, depth(it.next()));
        }
        return max + 1;
    }
}
