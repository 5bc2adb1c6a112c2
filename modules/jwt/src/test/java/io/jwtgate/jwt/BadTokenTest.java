package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.NOW;
import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.assertInvalid;
import static io.jwtgate.jwt.Fixtures.assertNoToken;
import static io.jwtgate.jwt.Fixtures.b64;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static io.jwtgate.jwt.Fixtures.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.map.MapModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad token of the module's contract, one test each, through the gateway over real sockets: no token, decoding,
 * algorithms, keys and signatures ({@link BadClaimTest} has the claims). Each rejected request must get the 401
 * challenge and JSON body, and never reach the content handler ({@code echo "passed"}).
 */
class BadTokenTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static final KeyPair rsaA = Fixtures.rsa(2048);
    static final KeyPair rsaB = Fixtures.rsa(2048);
    static final KeyPair p256 = Fixtures.ec("secp256r1");
    static final KeyPair p384 = Fixtures.ec("secp384r1");
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("jwt-bad");
        // kid-labelled keys only: RSA "rsa", RSA "rs384" declared for RS384, EC P-256 "ec"
        Files.writeString(dir.resolve("labelled.jwks"), "{\"keys\":["
                + new RSAKey.Builder((RSAPublicKey) rsaA.getPublic()).keyID("rsa").build().toJSONString() + ","
                + new RSAKey.Builder((RSAPublicKey) rsaA.getPublic()).keyID("rs384").algorithm(JWSAlgorithm.RS384)
                        .build().toJSONString() + ","
                + new ECKey.Builder(Curve.P_256, (ECPublicKey) p256.getPublic()).keyID("ec").build().toJSONString()
                + "]}");
        // "k1" is rsaA; a kid-less key is rsaB
        Files.writeString(dir.resolve("mixed.jwks"), "{\"keys\":["
                + new RSAKey.Builder((RSAPublicKey) rsaA.getPublic()).keyID("k1").build().toJSONString() + ","
                + new RSAKey.Builder((RSAPublicKey) rsaB.getPublic()).build().toJSONString() + "]}");
        String server = """
                location /hs { jwt_secret "%1$s"; echo "passed $jwt_claim_sub"; }
                location /labelled { jwt_key_file labelled.jwks; echo "passed"; }
                location /mixed { jwt_key_file mixed.jwks; echo "passed"; }
                location /thirds { jwt_secret "%1$s" token=$thirds; echo "passed"; }
                """.formatted(SECRET);
        // a header line is at most 8 KiB (nginx's large_client_header_buffers), so a token over the 16 KiB cap can
        // only be put together from several
        String http = "map $http_x_a $thirds { default \"$http_x_a$http_x_b$http_x_c\"; }";
        gw = TestGateway.start(dir, Fixtures.conf(TestGateway.freePort(), http, server), () -> {
            List<HttpModule> modules = new ArrayList<>(Fixtures.modules(clock).get());
            modules.add(new MapModule());
            return modules;
        });
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static RawResponse get(String path, String... headers) {
        return RawHttpClient.get(gw.port(), path, headers);
    }

    static RawResponse hs(String token) {
        return get("/hs", bearer(token));
    }

    static String signedHs(String header, String payload) throws Exception {
        String input = b64(header) + "." + b64(payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(), "HmacSHA256"));
        return input + "." + b64(mac.doFinal(input.getBytes()));
    }

    static final String HS_HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    @Test
    void validTokenPasses() {
        RawResponse r = hs(hs256(SECRET, claims("alice", "")));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.bodyString()).isEqualTo("passed alice");
        assertThat(r.headers("WWW-Authenticate")).isEmpty();
    }

    @Test
    void missingToken() {
        assertNoToken(get("/hs"));
    }

    @Test
    void bearerWithNothingAfterIt() {
        assertNoToken(get("/hs", "Authorization: Bearer"));
        assertNoToken(get("/hs", "Authorization: Bearer    "));
    }

    @Test
    void otherSchemeIsNoToken() {
        assertNoToken(get("/hs", "Authorization: Basic " + hs256(SECRET, claims("alice", ""))));
    }

    @Test
    void bearerSchemeIsCaseInsensitiveWithSeveralSpaces() {
        RawResponse r = get("/hs", "Authorization: bEARER   " + hs256(SECRET, claims("alice", "")) + "  ");
        assertThat(r.code()).isEqualTo(200);
    }

    @Test
    void twoAuthorizationHeadersAre400() {
        String t = hs256(SECRET, claims("alice", ""));
        RawResponse r = get("/hs", bearer(t), bearer(t));
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.bodyString()).doesNotContain("passed");
    }

    @Test
    void twoSegments() {
        assertInvalid(hs(b64(HS_HEADER) + "." + b64(claims("a", ""))), "malformed token");
    }

    @Test
    void fourSegments() {
        String t = hs256(SECRET, claims("alice", ""));
        assertInvalid(hs(t + ".x"), "malformed token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"padding", "plus", "slash", "space"})
    void badBase64url(String kind) throws Exception {
        String t = signedHs(HS_HEADER, claims("alice", ""));
        String bad = switch (kind) {
            case "padding" -> {
                // a header whose base64 needs padding, written with it
                String h = Base64.getUrlEncoder().encodeToString("{\"alg\": \"HS256\"}".getBytes());
                assertThat(h).endsWith("=");
                yield h + t.substring(t.indexOf('.'));
            }
            case "plus" -> "+" + t.substring(1);
            case "slash" -> "/" + t.substring(1);
            default -> t.substring(0, 5) + " " + t.substring(5);
        };
        assertInvalid(hs(bad), "malformed token");
    }

    @Test
    void headerNotAJsonObject() throws Exception {
        assertInvalid(hs(signedHs("[\"HS256\"]", claims("a", ""))), "malformed token");
    }

    @Test
    void payloadNotAJsonObject() throws Exception {
        assertInvalid(hs(signedHs(HS_HEADER, "\"alice\"")), "malformed token");
    }

    @Test
    void duplicateMemberNames() throws Exception {
        assertInvalid(hs(signedHs(HS_HEADER, "{\"sub\":\"a\",\"sub\":\"b\",\"exp\":" + (NOW + 60) + "}")),
                "malformed token");
        assertInvalid(hs(signedHs("{\"alg\":\"HS256\",\"alg\":\"HS256\"}", claims("a", ""))), "malformed token");
    }

    @Test
    void nestingOverTheLimit() throws Exception {
        String deep = "[".repeat(40) + "]".repeat(40);
        assertInvalid(hs(signedHs(HS_HEADER, claims("a", "\"x\":" + deep))), "malformed token");
    }

    @Test
    void oversizedToken() throws Exception {
        String token = signedHs(HS_HEADER, claims("a", "\"pad\":\"" + "x".repeat(17 * 1024) + "\""));
        int third = token.length() / 3 + 1;
        assertInvalid(get("/thirds", "X-A: " + token.substring(0, third), "X-B: " + token.substring(third, 2 * third),
                "X-C: " + token.substring(2 * third)), "token too large");
        // in one header line it does not get that far: the HTTP layer refuses the line, as nginx does
        RawResponse whole = hs(token);
        assertThat(whole.code()).isEqualTo(400);
        assertThat(whole.bodyString()).contains("Request Header Or Cookie Too Large");
    }

    @Test
    void algMissing() throws Exception {
        assertInvalid(hs(signedHs("{\"typ\":\"JWT\"}", claims("a", ""))), "malformed token");
    }

    @Test
    void algNone() {
        assertInvalid(hs(Fixtures.raw("{\"alg\":\"none\"}", claims("a", ""), "")), "unsupported algorithm");
    }

    @Test
    void algLowerCase() throws Exception {
        assertInvalid(hs(signedHs("{\"alg\":\"hs256\"}", claims("a", ""))), "unsupported algorithm");
    }

    @Test
    void algUnknown() throws Exception {
        assertInvalid(hs(signedHs("{\"alg\":\"HS1024\"}", claims("a", ""))), "unsupported algorithm");
    }

    @Test
    void hsTokenAgainstRsaAndEcKeys() {
        // the attacker signs with the RSA public key bytes as HMAC secret (classic confusion) and with a kid
        String pubAsSecret = Base64.getEncoder().encodeToString(rsaA.getPublic().getEncoded());
        assertInvalid(get("/labelled", bearer(Fixtures.hs(JWSAlgorithm.HS256, pubAsSecret, "rsa",
                claims("a", "")))), "no matching key");
        assertInvalid(get("/labelled", bearer(Fixtures.hs(JWSAlgorithm.HS256, pubAsSecret, "ec",
                claims("a", "")))), "no matching key");
        assertInvalid(get("/labelled", bearer(Fixtures.hs(JWSAlgorithm.HS256, pubAsSecret, null,
                claims("a", "")))), "no matching key");
    }

    @Test
    void jwkAlgDiffersFromToken() {
        // the key labelled rs384 declares alg RS384; an RS256 token naming it must not verify
        assertInvalid(get("/labelled", bearer(Fixtures.rs(JWSAlgorithm.RS256, rsaA, "rs384", claims("a", "")))),
                "no matching key");
        assertThat(get("/labelled", bearer(Fixtures.rs(JWSAlgorithm.RS384, rsaA, "rs384", claims("a", "")))).code())
                .isEqualTo(200);
    }

    @Test
    void ecKeyOnWrongCurve() {
        assertInvalid(get("/labelled", bearer(Fixtures.es(JWSAlgorithm.ES384, p384, "ec", claims("a", "")))),
                "no matching key");
        assertInvalid(get("/labelled", bearer(Fixtures.es(JWSAlgorithm.ES384, p384, null, claims("a", "")))),
                "no matching key");
    }

    static String withSignature(String token, byte[] sig) {
        return token.substring(0, token.lastIndexOf('.') + 1) + b64(sig);
    }

    static byte[] rawSig(String token) {
        return Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
    }

    @Test
    void ecdsaSignatureInDer() throws Exception {
        String t = Fixtures.es(JWSAlgorithm.ES256, p256, "ec", claims("a", ""));
        assertThat(get("/labelled", bearer(t)).code()).isEqualTo(200);
        byte[] raw = rawSig(t);
        byte[] der = toDer(Arrays.copyOfRange(raw, 0, 32), Arrays.copyOfRange(raw, 32, 64));
        assertInvalid(get("/labelled", bearer(withSignature(t, der))), "signature verification failed");
    }

    @Test
    void ecdsaSignatureTooShort() {
        String t = Fixtures.es(JWSAlgorithm.ES256, p256, "ec", claims("a", ""));
        assertInvalid(get("/labelled", bearer(withSignature(t, Arrays.copyOf(rawSig(t), 63)))),
                "signature verification failed");
    }

    static final BigInteger P256_N =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    @ParameterizedTest
    @ValueSource(strings = {"r0", "s0", "rn", "sn", "both0"})
    void ecdsaSignatureWithROrSOutOfRange(String kind) {
        String t = Fixtures.es(JWSAlgorithm.ES256, p256, "ec", claims("a", ""));
        byte[] sig = rawSig(t);
        byte[] n = fixed(P256_N, 32);
        switch (kind) {
            case "r0" -> Arrays.fill(sig, 0, 32, (byte) 0);
            case "s0" -> Arrays.fill(sig, 32, 64, (byte) 0);
            case "rn" -> System.arraycopy(n, 0, sig, 0, 32);
            case "sn" -> System.arraycopy(n, 0, sig, 32, 32);
            default -> Arrays.fill(sig, (byte) 0);
        }
        assertInvalid(get("/labelled", bearer(withSignature(t, sig))), "signature verification failed");
    }

    @Test
    void unknownKid() {
        assertInvalid(get("/labelled", bearer(Fixtures.rs(JWSAlgorithm.RS256, rsaA, "nobody", claims("a", "")))),
                "no matching key");
    }

    @Test
    void kidLabelledKeyThatFailsDoesNotFallBackToKidlessKey() {
        // signed by rsaB (the kid-less key) but names kid k1 (rsaA): must not be tried against the kid-less key
        assertInvalid(get("/mixed", bearer(Fixtures.rs(JWSAlgorithm.RS256, rsaB, "k1", claims("a", "")))),
                "signature verification failed");
        // an unknown kid falls back to the kid-less key
        assertThat(get("/mixed", bearer(Fixtures.rs(JWSAlgorithm.RS256, rsaB, "other", claims("a", "")))).code())
                .isEqualTo(200);
        assertThat(get("/mixed", bearer(Fixtures.rs(JWSAlgorithm.RS256, rsaA, "k1", claims("a", "")))).code())
                .isEqualTo(200);
    }

    @Test
    void badSignature() {
        String t = hs256("another-secret-another-secret-!!", claims("a", ""));
        assertInvalid(hs(t), "signature verification failed");
    }

    static byte[] fixed(BigInteger v, int len) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(b.length, len);
        System.arraycopy(b, b.length - copy, out, len - copy, copy);
        return out;
    }

    static byte[] toDer(byte[] r, byte[] s) {
        byte[] ri = new BigInteger(1, r).toByteArray();
        byte[] si = new BigInteger(1, s).toByteArray();
        byte[] out = new byte[6 + ri.length + si.length];
        out[0] = 0x30;
        out[1] = (byte) (4 + ri.length + si.length);
        out[2] = 2;
        out[3] = (byte) ri.length;
        System.arraycopy(ri, 0, out, 4, ri.length);
        out[4 + ri.length] = 2;
        out[5 + ri.length] = (byte) si.length;
        System.arraycopy(si, 0, out, 6 + ri.length, si.length);
        return out;
    }
}
