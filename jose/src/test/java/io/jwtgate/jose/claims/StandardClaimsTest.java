package io.jwtgate.jose.claims;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.internal.StrictJson;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StandardClaimsTest {

    static final long NOW = 1_700_000_000L;

    static JsonNode p(String json) throws Exception {
        return StrictJson.parse(json, 16);
    }

    @Test
    void exp() throws Exception {
        assertThat(StandardClaims.checkTime(p("{}"), NOW, 0, true)).isEqualTo(Reason.MISSING_EXP);
        assertThat(StandardClaims.checkTime(p("{}"), NOW, 0, false)).isNull();
        assertThat(StandardClaims.checkTime(p("{\"exp\":\"" + (NOW + 100) + "\"}"), NOW, 0, true))
                .isEqualTo(Reason.INVALID_EXP);
        assertThat(StandardClaims.checkTime(p("{\"exp\":" + (NOW - 1) + "}"), NOW, 0, true)).isEqualTo(Reason.EXPIRED);
        assertThat(StandardClaims.checkTime(p("{\"exp\":" + NOW + "}"), NOW, 0, true)).isEqualTo(Reason.EXPIRED);
        assertThat(StandardClaims.checkTime(p("{\"exp\":" + (NOW + 1) + "}"), NOW, 0, true)).isNull();
        assertThat(StandardClaims.checkTime(p("{\"exp\":" + (NOW - 10) + "}"), NOW, 30, true)).isNull();
        assertThat(StandardClaims.checkTime(p("{\"exp\":" + (NOW - 30) + "}"), NOW, 30, true))
                .isEqualTo(Reason.EXPIRED);
        assertThat(StandardClaims.checkTime(p("{\"exp\":" + NOW + ".5}"), NOW, 0, true)).isNull();
        assertThat(StandardClaims.checkTime(p("{\"exp\":" + Long.MAX_VALUE + "}"), NOW, 60, true)).isNull();
        // exp validation off: a past or malformed exp is ignored.
        assertThat(StandardClaims.checkTime(p("{\"exp\":\"x\"}"), NOW, 0, false)).isNull();
    }

    @Test
    void nbf() throws Exception {
        String exp = "\"exp\":" + (NOW + 3600);
        assertThat(StandardClaims.checkTime(p("{" + exp + ",\"nbf\":" + (NOW + 10) + "}"), NOW, 0, true))
                .isEqualTo(Reason.NOT_YET_VALID);
        assertThat(StandardClaims.checkTime(p("{" + exp + ",\"nbf\":" + (NOW + 10) + "}"), NOW, 10, true)).isNull();
        assertThat(StandardClaims.checkTime(p("{" + exp + ",\"nbf\":" + (NOW + 11) + "}"), NOW, 10, true))
                .isEqualTo(Reason.NOT_YET_VALID);
        assertThat(StandardClaims.checkTime(p("{" + exp + ",\"nbf\":" + NOW + "}"), NOW, 0, true)).isNull();
        assertThat(StandardClaims.checkTime(p("{" + exp + ",\"nbf\":true}"), NOW, 0, true))
                .isEqualTo(Reason.INVALID_NBF);
        assertThat(StandardClaims.checkTime(p("{\"nbf\":" + (NOW + 10) + "}"), NOW, 0, false))
                .isEqualTo(Reason.NOT_YET_VALID);
    }

    @Test
    void issuer() throws Exception {
        Set<String> iss = Set.of("https://a", "https://b");
        assertThat(StandardClaims.checkIssuer(p("{\"iss\":\"https://b\"}"), iss)).isNull();
        assertThat(StandardClaims.checkIssuer(p("{\"iss\":\"https://c\"}"), iss)).isEqualTo(Reason.ISSUER_MISMATCH);
        assertThat(StandardClaims.checkIssuer(p("{\"iss\":[\"https://a\"]}"), iss)).isEqualTo(Reason.ISSUER_MISMATCH);
        assertThat(StandardClaims.checkIssuer(p("{}"), iss)).isEqualTo(Reason.ISSUER_MISMATCH);
    }

    @Test
    void audience() throws Exception {
        Set<String> aud = Set.of("api", "web");
        assertThat(StandardClaims.checkAudience(p("{\"aud\":\"api\"}"), aud)).isNull();
        assertThat(StandardClaims.checkAudience(p("{\"aud\":[\"x\",\"web\"]}"), aud)).isNull();
        assertThat(StandardClaims.checkAudience(p("{\"aud\":[\"x\"]}"), aud)).isEqualTo(Reason.AUDIENCE_MISMATCH);
        assertThat(StandardClaims.checkAudience(p("{\"aud\":[\"api\",1]}"), aud)).isEqualTo(Reason.AUDIENCE_MISMATCH);
        assertThat(StandardClaims.checkAudience(p("{\"aud\":1}"), aud)).isEqualTo(Reason.AUDIENCE_MISMATCH);
        assertThat(StandardClaims.checkAudience(p("{}"), aud)).isEqualTo(Reason.AUDIENCE_MISMATCH);
    }
}
