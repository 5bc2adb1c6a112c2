package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.NOW;
import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.JwtValidator;
import io.jwtgate.jose.KeySetParser;
import io.jwtgate.jose.Validation;
import io.jwtgate.jose.claims.ClaimRule;
import io.jwtgate.jose.claims.RevocationList;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The order of docs/jwt.md#validation-order is one pipeline: tokens signed by Nimbus with several defects each are
 * rejected for their earliest defect, the same by the gateway (over a real socket) and by the JOSE library's
 * {@link JwtValidator} built with the same settings; {@code jwt_require}, the gateway's own last step, decides only
 * when everything else passed.
 */
class ValidationOrderTest {

    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static TestGateway gw;
    static JwtValidator validator;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("jwt-order");
        Files.writeString(dir.resolve("revoked.json"), "[\"mallory\"]");
        String server = """
                location /order {
                    jwt_secret "%s";
                    jwt_revocation_list_sub revoked.json;
                    jwt_issuer https://issuer.example;
                    jwt_audience api;
                    jwt_require_claim role eq admin;
                    jwt_require_header typ eq JWT;
                    jwt_require $jwt_claim_paid error=402;
                    echo "order";
                }
                """.formatted(SECRET);
        gw = TestGateway.start(dir, Fixtures.conf(TestGateway.freePort(), "", server), Fixtures.modules(clock));
        CryptoProvider crypto = CryptoProvider.preferred();
        validator = JwtValidator.builder()
                .crypto(crypto)
                .keys(KeySetParser.secret(SECRET, crypto).keySet())
                .clock(clock)
                .revokedSubs(RevocationList.of(Set.of("mallory")))
                .issuers("https://issuer.example")
                .audiences("api")
                .requireClaim(ClaimRule.compile("role", "eq", "admin"))
                .requireHeader(ClaimRule.compile("typ", "eq", "JWT"))
                .build();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /**
     * Each row: the token's defects (its secret, typ, sub, exp/nbf offset, iss, aud, role, paid) and the reason both
     * must give, the earliest defect's.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad signature first    | wrong | JWT    | mallory | -60  | 0   | https://other          | x   | guest | 0 "
                + "| signature verification failed",
        "revocation before exp  | ok    | JWT    | mallory | -60  | 0   | https://other          | x   | guest | 0 "
                + "| token revoked",
        "exp before issuer      | ok    | JWT    | alice   | -60  | 0   | https://other          | x   | guest | 0 "
                + "| token expired",
        "nbf before issuer      | ok    | JWT    | alice   | 3600 | 600 | https://other          | x   | guest | 0 "
                + "| token not yet valid",
        "issuer before audience | ok    | JWT    | alice   | 3600 | 0   | https://other          | x   | guest | 0 "
                + "| issuer mismatch",
        "audience before claims | ok    | JWT    | alice   | 3600 | 0   | https://issuer.example | x   | guest | 0 "
                + "| audience mismatch",
        "claims before headers  | ok    | at+jwt | alice   | 3600 | 0   | https://issuer.example | api | guest | 0 "
                + "| claim requirement failed",
        "headers before require | ok    | at+jwt | alice   | 3600 | 0   | https://issuer.example | api | admin | 0 "
                + "| header requirement failed",
    })
    void earliestDefectDecidesInGatewayAndLibrary(String name, String secret, String typ, String sub, long exp,
            long nbf, String iss, String aud, String role, int paid, String reason) {
        String token = token(secret, typ, sub, exp, nbf, iss, aud, role, paid);
        Validation v = validator.validate(token);
        assertThat(v.isValid()).isFalse();
        assertThat(v.reason().text()).isEqualTo(reason);
        RawResponse r = RawHttpClient.get(gw.port(), "/order", bearer(token));
        Fixtures.assertInvalid(r, reason);
    }

    @ParameterizedTest(name = "paid={0}")
    @CsvSource({"0, 402", "1, 200"})
    void jwtRequireRunsLastAndOnlyInTheGateway(int paid, int status) {
        String token = token("ok", "JWT", "alice", 3600, 0, "https://issuer.example", "api", "admin", paid);
        assertThat(validator.validate(token).isValid()).isTrue();
        RawResponse r = RawHttpClient.get(gw.port(), "/order", bearer(token));
        assertThat(r.code()).as(r.toString()).isEqualTo(status);
        if (status == 402) {
            assertThat(r.bodyString())
                    .isEqualTo("{\"error\":\"access_denied\",\"error_description\":\"requirement failed\"}");
        } else {
            assertThat(r.bodyString()).isEqualTo("order");
        }
    }

    /** A Nimbus HS256 token; {@code exp} and {@code nbf} are offsets from now ({@code nbf} 0: none). */
    private static String token(String secret, String typ, String sub, long exp, long nbf, String iss, String aud,
            String role, int paid) {
        String payload = "{\"sub\":\"" + sub + "\",\"exp\":" + (NOW + exp)
                + (nbf == 0 ? "" : ",\"nbf\":" + (NOW + nbf))
                + ",\"iss\":\"" + iss + "\",\"aud\":\"" + aud + "\",\"role\":\"" + role + "\",\"paid\":" + paid + "}";
        String key = secret.equals("ok") ? SECRET : "another-secret-of-at-least-32-bytes!";
        try {
            JWSObject o = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(typ)).build(),
                    new Payload(payload));
            o.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
            return o.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
