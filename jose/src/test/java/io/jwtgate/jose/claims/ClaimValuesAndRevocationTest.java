package io.jwtgate.jose.claims;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaimValuesAndRevocationTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "\"text\"|text",
        "42|42",
        "-7|-7",
        "1.5|1.5",
        "true|true",
        "false|false",
        "null|''",
        "[\"a\",\"b\",3,true]|a,b,3,true",
        "[]|''",
        "[[1],2]|[[1],2]",
        "{\"a\":[1,{\"b\":\"c\"}]}|{\"a\":[1,{\"b\":\"c\"}]}",
        "\"with,comma\"|with,comma",
    })
    void render(String json, String expected) throws Exception {
        assertThat(ClaimValues.render(StrictJson.parse(json, 16))).isEqualTo(expected);
    }

    @Test
    void renderMissing() {
        assertThat(ClaimValues.render(null)).isNull();
        assertThat(ClaimValues.render(MissingNode.getInstance())).isNull();
    }

    private static RevocationList.Result parse(String s) {
        return RevocationList.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void revocationFormats() throws Exception {
        RevocationList obj = parse("{\"alice\":{\"when\":1},\"bob\":true}").list();
        RevocationList arr = parse("[\"alice\",\"bob\"]").list();
        for (RevocationList l : new RevocationList[] {obj, arr}) {
            assertThat(l.values()).containsExactlyInAnyOrder("alice", "bob");
            assertThat(l.checkSub(StrictJson.parse("{\"sub\":\"alice\"}", 16))).isEqualTo(Reason.REVOKED);
            assertThat(l.checkSub(StrictJson.parse("{\"sub\":\"Alice\"}", 16))).isNull();
            assertThat(l.checkSub(StrictJson.parse("{}", 16))).isEqualTo(Reason.MISSING_SUB);
            assertThat(l.checkSub(StrictJson.parse("{\"sub\":1}", 16))).isEqualTo(Reason.MISSING_SUB);
            assertThat(l.checkKid("bob")).isEqualTo(Reason.REVOKED);
            assertThat(l.checkKid(null)).isEqualTo(Reason.MISSING_KID);
            assertThat(l.checkKid("carol")).isNull();
        }
    }

    @Test
    void revocationErrors() {
        assertThat(parse("[\"a\",1]").error()).contains("non-string");
        assertThat(parse("\"a\"").error()).isNotNull();
        assertThat(parse("{\"a\":1,\"a\":2}").error()).isNotNull();
        assertThat(parse("[] x").error()).isNotNull();
        assertThat(RevocationList.parse(new byte[10], 5).error()).contains("larger");
        assertThat(parse("[]").isOk()).isTrue();
    }
}
