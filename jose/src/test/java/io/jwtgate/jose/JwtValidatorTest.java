package io.jwtgate.jose;

import static io.jwtgate.jose.TestTokens.b64;
import static io.jwtgate.jose.TestTokens.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.jose.claims.ClaimRule;
import io.jwtgate.jose.claims.RevocationList;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JwtValidatorTest {

    static final CryptoProvider CRYPTO = CryptoProvider.preferred();
    static final long NOW = 1_700_000_000L;
    static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(NOW));

    static TestTokens.Signer signer() {
        return TestTokens.signer(Algorithm.ES256);
    }

    static JwtValidator.Builder base() throws Exception {
        return JwtValidator.builder().crypto(CRYPTO).clock(CLOCK)
                .keys(KeySetParser.jwks(utf8(signer().jwks()), CRYPTO).keySet());
    }

    static String token(String claims) throws Exception {
        return signer().sign(claims, true);
    }

    @Test
    void endToEnd() throws Exception {
        JwtValidator v = base().issuers("https://idp").audiences("api").leeway(Duration.ofSeconds(30))
                .requireClaim(ClaimRule.compile("role", "eq", "admin"))
                .requireHeader(ClaimRule.compile("typ", "eq", "JWT"))
                .revokedSubs(RevocationList.of(Set.of("mallory")))
                .build();
        String good = "{\"sub\":\"alice\",\"iss\":\"https://idp\",\"aud\":[\"api\"],\"role\":\"admin\",\"exp\":"
                + (NOW + 60) + "}";
        Validation ok = v.validate(token(good));
        assertThat(ok.isValid()).as(ok.toString()).isTrue();
        assertThat(ok.jws().payload().get("sub").textValue()).isEqualTo("alice");

        assertThat(v.validate("garbage").reason()).isEqualTo(Reason.MALFORMED);
        assertThat(v.validate(ConformanceTest.tamper(token(good))).reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(v.validate(token(good.replace("alice", "mallory"))).reason()).isEqualTo(Reason.REVOKED);
        assertThat(v.validate(token(good.replace("\"sub\":\"alice\",", ""))).reason()).isEqualTo(Reason.MISSING_SUB);
        assertThat(v.validate(token(good.replace(String.valueOf(NOW + 60), String.valueOf(NOW - 30)))).reason())
                .isEqualTo(Reason.EXPIRED);
        assertThat(v.validate(token(good.replace(String.valueOf(NOW + 60), String.valueOf(NOW - 29)))).isValid())
                .isTrue();
        assertThat(v.validate(token(good.replace(",\"exp\":" + (NOW + 60), ""))).reason())
                .isEqualTo(Reason.MISSING_EXP);
        assertThat(v.validate(token(good.replace("https://idp", "https://evil"))).reason())
                .isEqualTo(Reason.ISSUER_MISMATCH);
        assertThat(v.validate(token(good.replace("[\"api\"]", "\"web\""))).reason())
                .isEqualTo(Reason.AUDIENCE_MISMATCH);
        assertThat(v.validate(token(good.replace("admin", "user"))).reason())
                .isEqualTo(Reason.CLAIM_REQUIREMENT_FAILED);
    }

    @Test
    void headerRuleFailure() throws Exception {
        JwtValidator v = base().requireHeader(ClaimRule.compile("typ", "eq", "at+jwt")).build();
        assertThat(v.validate(token("{\"exp\":" + (NOW + 60) + "}")).reason())
                .isEqualTo(Reason.HEADER_REQUIREMENT_FAILED);
    }

    @Test
    void signatureOffAcceptsNoneButStillChecksClaims() throws Exception {
        JwtValidator v = JwtValidator.builder().clock(CLOCK).validateSignature(false).build();
        String none = b64("{\"alg\":\"none\"}") + "." + b64("{\"exp\":" + (NOW + 5) + "}") + ".";
        assertThat(v.validate(none).isValid()).isTrue();
        String expired = b64("{\"alg\":\"none\"}") + "." + b64("{\"exp\":" + (NOW - 5) + "}") + ".";
        assertThat(v.validate(expired).reason()).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void noneRejectedWhenSignatureOn() throws Exception {
        String none = b64("{\"alg\":\"none\"}") + "." + b64("{\"exp\":" + (NOW + 5) + "}") + ".";
        assertThat(base().build().validate(none).reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void builderFailsFast() throws Exception {
        assertThatThrownBy(() -> JwtValidator.builder().build()).hasMessageContaining("needs at least one key");
        assertThatThrownBy(() -> base().validateSignature(false).build())
                .hasMessageContaining("signature validation is off");
        assertThatThrownBy(() -> base().issuers("a").issuers("b")).hasMessageContaining("already set");
        assertThatThrownBy(() -> base().leeway(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().requireClaim(ClaimRule.compileDynamic("a", "eq")))
                .isInstanceOf(IllegalArgumentException.class);
        JwtValidator.Builder b = base();
        assertThat(b.build()).isNotSameAs(b.build()); // build() leaves the builder reusable
    }
}
