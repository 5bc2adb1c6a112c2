package io.jwtgate.jose.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jwtgate.jose.internal.StrictJson;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimRuleTest {

    static final String DOC = "{\"role\":\"admin\",\"v\":2,\"d\":1.5,\"one\":1,\"t\":true,\"f\":false,\"n\":null,"
            + "\"roles\":[\"a\",\"b\"],\"nums\":[1,2,3],\"empty\":[],\"obj\":{\"k\":1},\"s1\":\"1\","
            + "\"mixed\":[\"a\",1],\"big\":9007199254740993}";

    static JsonNode doc() throws Exception {
        return StrictJson.parse(DOC, 16);
    }

    /** Table: path | operator | expected text | result. Every operator, negation, json= and literals. */
    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        // eq with literals converted to the claim's type
        "role|eq|admin|true",
        "role|eq|Admin|false",
        "role|ne|admin|false",
        "role|!eq|user|true",
        "v|eq|2|true",
        "v|eq|2.0|true",
        "one|eq|1.0|true",
        "d|eq|1.5|true",
        "v|eq|two|false",        // cannot convert -> rejects
        "v|ne|two|false",        // ... negated or not
        "t|eq|true|true",
        "f|eq|false|true",
        "t|eq|yes|false",
        "t|!eq|yes|false",
        "n|eq|null|true",
        "n|eq|x|false",
        "n|ne|x|false",
        "s1|eq|1|true",          // string claim compares as text
        "s1|eq|1.0|false",
        "roles|eq|a|false",      // arrays have no literal form
        "roles|ne|a|false",
        "missing|eq|x|false",
        "missing|ne|x|false",    // !eq never lets a missing claim through
        "missing|!in|x,y|false",
        "big|eq|9007199254740993|true",
        "big|eq|9007199254740992|false",
        // json= strict typed values
        "v|eq|json=2|true",
        "one|eq|json=1.0|true",
        "v|eq|json=\"2\"|false",
        "v|ne|json=\"2\"|true",
        "s1|eq|json=1|false",
        "roles|eq|json=[\"a\",\"b\"]|true",
        "roles|eq|json=[\"b\",\"a\"]|false",
        "obj|eq|json={\"k\":1.0}|true",
        "t|eq|json=true|true",
        "n|eq|json=null|true",
        // ordering: numbers only
        "v|gt|1|true",
        "v|gt|2|false",
        "v|ge|2|true",
        "v|lt|3|true",
        "v|le|1.99|false",
        "d|gt|1|true",
        "v|!gt|5|true",
        "role|gt|1|false",       // non-number claim cannot compare
        "role|!gt|1|false",
        "v|ge|json=2.0|true",
        // in
        "role|in|user, admin ,x|true",
        "role|in|user,x|false",
        "role|nin|user,x|true",
        "role|!in|admin|false",
        "v|in|1,2,3|true",
        "v|in|1,x|false",        // an element that cannot convert -> rejects
        "v|nin|1,x|false",
        "roles|in|a,b|false",    // an array is not a scalar literal
        "role|in|json=[\"admin\",1]|true",
        "role|in|json={\"admin\":true}|true",
        "role|in|json={\"user\":true}|false",
        "roles|in|json=[[\"a\",\"b\"],1]|true",
        "v|in|json=[2.0]|true",
        // any / intersect
        "roles|any|x,b|true",
        "roles|intersect|x,y|false",
        "roles|nintersect|x,y|true",
        "roles|!any|a|false",
        "role|any|admin|true",
        "nums|any|5, 3|true",
        "nums|any|json=[3.0]|true",
        "roles|any|json=[\"b\"]|true",
        "empty|any|a|false",
        "empty|nintersect|a|true",
        "mixed|any|a|false",     // 1 cannot be compared with literal "a" -> rejects
        "mixed|any|json=[1]|true",
        // match (RE2)
        "role|match|^ad|true",
        "role|match|min$|true",
        "role|match|^user$|false",
        "role|!match|^user$|true",
        "v|match|2|false",       // not a string
        "v|!match|2|false",
        "role|match|json=\"^a.m\"|true",
    })
    void table(String path, String op, String expected, boolean result) throws Exception {
        ClaimRule constant = ClaimRule.compile(path, op, expected);
        assertThat(constant.test(doc())).isEqualTo(result);
        // The per-request path gives the same answer through the same code.
        ClaimRule dynamic = ClaimRule.compileDynamic(path, op);
        assertThat(dynamic.isDynamic()).isTrue();
        assertThat(dynamic.test(doc(), expected)).isEqualTo(result);
    }

    @ParameterizedTest
    @ValueSource(strings = {"equals", "!ne", "EQ", "", "!", "nany"})
    void unknownOperatorIsConfigError(String op) {
        assertThatThrownBy(() -> ClaimRule.compile("sub", op, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown operator");
    }

    @Test
    void configErrors() {
        assertThatThrownBy(() -> ClaimRule.compile("a", "match", "(unclosed"))
                .hasMessageContaining("regular expression");
        assertThatThrownBy(() -> ClaimRule.compile("a", "match", "(a)\\1")).hasMessageContaining("regular expression");
        assertThatThrownBy(() -> ClaimRule.compile("a", "eq", "json={")).hasMessageContaining("json=");
        assertThatThrownBy(() -> ClaimRule.compile("a", "gt", "abc")).hasMessageContaining("number");
        assertThatThrownBy(() -> ClaimRule.compile("a", "gt", "json=\"1\"")).hasMessageContaining("number");
        assertThatThrownBy(() -> ClaimRule.compile("a", "match", "json=1")).hasMessageContaining("string");
        assertThatThrownBy(() -> ClaimRule.compile("a..b", "eq", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dynamicTextThatDoesNotCompileRejects() throws Exception {
        assertThat(ClaimRule.compileDynamic("role", "match").test(doc(), "(")).isFalse();
        assertThat(ClaimRule.compileDynamic("role", "!match").test(doc(), "(")).isFalse();
        assertThat(ClaimRule.compileDynamic("v", "gt").test(doc(), "")).isFalse();
        assertThat(ClaimRule.compileDynamic("role", "ne").test(doc(), "json={")).isFalse();
        assertThatThrownBy(() -> ClaimRule.compileDynamic("role", "eq").test(doc()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void dynamicRuleFollowsTheTextOfEachRequest() throws Exception {
        // one rule instance, texts changing, repeating and failing in turn: each answer is for its own text
        ClaimRule rule = ClaimRule.compileDynamic("role", "match");
        String[] texts = {"^adm", "^adm", "^user$", "(", "^adm", "min$", "(", "(", "^user$"};
        boolean[] answers = {true, true, false, false, true, true, false, false, false};
        for (int i = 0; i < texts.length; i++) {
            assertThat(rule.test(doc(), texts[i])).as("request %d: %s", i, texts[i]).isEqualTo(answers[i]);
        }
    }

    @Test
    void pathologicalRegexRunsInLinearTime() throws Exception {
        String input = "a".repeat(50000) + "!";
        JsonNode d = StrictJson.parse("{\"x\":\"" + input + "\"}", 16);
        ClaimRule r = ClaimRule.compile("x", "match", "(a+)+$");
        long start = System.nanoTime();
        assertThat(r.test(d)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
